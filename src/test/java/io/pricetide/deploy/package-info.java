/** Tests of the deployment files in {@code deploy/}: container build, compose, Kubernetes, systemd, monitoring. */
package io.pricetide.deploy;
