/** Source definitions: the YAML files in {@code sources/}, their validation and their settings. */
package io.pricetide.source;
