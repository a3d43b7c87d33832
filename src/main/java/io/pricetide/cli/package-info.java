/** The command line: run, check, sources validate, extract, replay, reextract and events. */
package io.pricetide.cli;
