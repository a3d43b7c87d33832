/** Configuration: defaults, config file, environment and flags layered into one {@link io.pricetide.config.AppConfig}. */
package io.pricetide.config;
