package io.pricetide.detect;

/** A check that extracted nothing is a broken source, never the removal of every price. */
final class NothingExtracted implements CheckGuard {
  @Override
  public String refuse(CheckView check) {
    return check.now().isEmpty() ? "extraction found no prices" : null;
  }
}
