package io.pricetide.fetch;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;

/** A write stream collecting a response body that fails, and so aborts the download, once it passes a cap. */
final class CappedBuffer implements WriteStream<Buffer> {
  private final Buffer buffer = Buffer.buffer();
  private final long cap;
  private boolean over;

  CappedBuffer(long cap) {
    this.cap = cap;
  }

  Buffer buffer() {
    return buffer;
  }

  boolean isOver() {
    return over;
  }

  @Override
  public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    return this;
  }

  @Override
  public Future<Void> write(Buffer data) {
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
