package io.pricetide.alert;

/**
 * How one send attempt ended. Only a 2xx answer (or an accepted SMTP transaction) is {@code delivered}; a
 * {@code permanent} failure is dead-lettered at once instead of retried.
 */
record Outcome(boolean delivered, Integer statusCode, String error, boolean permanent) {
  static Outcome delivered(int status) {
    return new Outcome(true, status, null, false);
  }

  static Outcome failed(Integer status, String error) {
    return new Outcome(false, status, error, false);
  }

  static Outcome permanent(Integer status, String error) {
    return new Outcome(false, status, error, true);
  }
}
