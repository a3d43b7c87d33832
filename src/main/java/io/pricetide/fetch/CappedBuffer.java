package io.pricetide.fetch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/**
 * A write stream collecting a response body that fails, and so aborts the download, once it passes a cap or once
 * the fetch's deadline aborted it.
 */
final class CappedBuffer implements WriteStream<Buffer> {
  private final Buffer buffer = Buffer.buffer();
  private final long cap;
  private boolean over;
  private volatile boolean aborted;

  CappedBuffer(long cap) {
    this.cap = cap;
  }

  Buffer buffer() {
    return buffer;
  }

  boolean isOver() {
    return over;
  }

  /** Refuses every later write: the download is dropped at its next bytes (the fetch's deadline passed). */
  void abort() {
    aborted = true;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
    if (aborted) {
      return Future.failedFuture(new IllegalStateException("fetch deadline passed"));
    }
    if (over || buffer.length() + (long) data.length() > cap) {
      over = true;
      return Future.failedFuture(new IllegalStateException("body larger than " + cap + " bytes"));
    }
    buffer.appendBuffer(data);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> end() {
    return over ? Future.failedFuture(new IllegalStateException("body larger than " + cap + " bytes"))
        : Future.succeededFuture();
  }

  @Override
  public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
    return this;
  }

  @Override
  public boolean writeQueueFull() {
    return false;
  }

  @Override
  public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
    return this;
  }
}
