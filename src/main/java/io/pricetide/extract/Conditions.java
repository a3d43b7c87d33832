package io.pricetide.extract;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The condition vocabulary of vendor-page observations (see {@code docs/sources.md}). A condition is empty for a
 * model's base price, or one or more parts joined by {@value #SEPARATOR}, always in the order of {@link Slot}, so
 * that the same price under the same terms has the same series key on every check:
 *
 * <ul>
 *   <li>{@link Slot#REGION}: an Alibaba deployment other than the source's home region: {@code beijing},
 *       {@code singapore}, {@code us}, {@code global};
 *   <li>{@link Slot#CURRENCY}: the same price as the page also quotes it in a currency other than the source's own,
 *       as its ISO code ({@code EUR} on Mistral's page, beside the USD base price);
 *   <li>{@link Slot#SERVICE}: {@code batch}, {@code flex}, {@code priority}, {@code free-tier};
 *   <li>{@link Slot#TUNING}: {@code fine-tuned} (inference on a fine-tuned model);
 *   <li>{@link Slot#SHARING}: {@code data-sharing} (OpenAI's discount for sharing fine-tuning data);
 *   <li>{@link Slot#CONTEXT}: the prompt-size tier above the lowest: {@code >200k}, {@code 32k-128k},
 *       {@code 128k-252k} (lower bound exclusive, upper inclusive, {@code k} = 1,000 tokens as pages write it);
 *       the lowest tier has no context part, so a base price keeps its series when a vendor adds a tier;
 *   <li>{@link Slot#BAND}: a discounted time of day in UTC, {@code UTC 16:30-00:30};
 *   <li>{@link Slot#MODALITY}: input or output other than text: {@code audio}, {@code image}, {@code image/video};
 *   <li>{@link Slot#MODE}: {@code thinking} or {@code non-thinking} where a page prices them apart;
 *   <li>{@link Slot#QUALITY}: a generated image's or video's quality as the page names it, lower case: {@code low},
 *       {@code medium}, {@code high}, {@code standard}, {@code hd};
 *   <li>{@link Slot#SIZE}: an image's or video's size: {@code 1024x1024}, {@code 720x1280/1280x720} (portrait and
 *       landscape at one price), {@code 1k/2k}, {@code 4k};
 *   <li>{@link Slot#TOOL}: the built-in tool a per-call price of a model is for: {@code google-maps};
 *   <li>{@link Slot#CACHE}: cache-write duration, {@code 5m} or {@code 1h}.
 * </ul>
 *
 * <p>A price announced for later is no condition: it is an observation of the same series with
 * {@code effective_from} (a scheduled change, see {@code docs/sources.md}). Series of older versions under a
 * {@code from 2025-02-08 16:00 UTC} condition were retired by migration V18.
 */
final class Conditions {
  /** Joins the parts of a condition: {@code "batch; >200k"}. */
  static final String SEPARATOR = "; ";

  static final String BATCH = "batch";
  static final String FLEX = "flex";
  static final String PRIORITY = "priority";
  static final String FREE_TIER = "free-tier";
  static final String FINE_TUNED = "fine-tuned";
  static final String DATA_SHARING = "data-sharing";
  static final String THINKING = "thinking";
  static final String NON_THINKING = "non-thinking";

  private Conditions() {}

  /** Where a part goes in a condition; parts are written in this order. */
  enum Slot { REGION, CURRENCY, SERVICE, TUNING, SHARING, CONTEXT, BAND, MODALITY, MODE, QUALITY, SIZE, TOOL, CACHE }

  static Builder builder() {
    return new Builder();
  }

  /** Collects parts by slot; blank parts are left out. */
  static final class Builder {
    private final Map<Slot, String> parts = new EnumMap<>(Slot.class);

    Builder set(Slot slot, String part) {
      if (part == null || part.isBlank()) {
        parts.remove(slot);
      } else {
        parts.put(slot, part.trim());
      }
      return this;
    }

    Builder copy() {
      Builder b = new Builder();
      b.parts.putAll(parts);
      return b;
    }

    String build() {
      StringJoiner j = new StringJoiner(SEPARATOR);
      parts.values().forEach(j::add);
      return j.toString();
    }
  }
}
