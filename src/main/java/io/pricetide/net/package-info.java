/**
 * The address policy for every request Pricetide makes to a URL someone else wrote (a source's URL and its
 * redirects, a subscriber's webhook): which resolved addresses are internal and refused unless allowed.
 */
package io.pricetide.net;
