package io.pricetide.extract;

import java.util.Set;
import java.util.function.Function;

/**
 * Registers the named extractors of first-party vendor pricing pages, one kind per page layout. Each reads the page
 * as its source URL serves it (HTML or markdown) and the other representations kept in the corpus (reader-tool
 * markdown, plain-text dumps), choosing by the format the context names.
 */
final class Vendors {
  private Vendors() {}

  static void register(ExtractorRegistry r) {
    r.register("openai-pricing", factory(Set.of(), cfg -> new OpenAiPage()));
    r.register("anthropic-pricing", factory(Set.of(), cfg -> new AnthropicPage()));
    r.register("gemini-pricing", factory(Set.of(), cfg -> new GeminiPage()));
    r.register("deepseek-pricing", factory(Set.of(), cfg -> new DeepSeekPage()));
    r.register("alibaba-pricing", factory(Set.of("region"), cfg -> new AlibabaPage(
        AlibabaPage.region(Configs.string(cfg, "region", "")))));
    r.register("mistral-pricing", factory(Set.of(), cfg -> new MistralPage()));
    r.register("xai-pricing", factory(Set.of(), cfg -> new XaiPage()));
    r.register("moonshot-pricing", factory(Set.of(), cfg -> new MoonshotPage()));
    r.register("zhipu-pricing", factory(Set.of(), cfg -> new ZhipuPage()));
  }

  private static ExtractorFactory factory(Set<String> keys,
      Function<java.util.Map<String, Object>, Extractor> make) {
    return new ExtractorFactory() {
      @Override
      public Set<String> keys() {
        return keys;
      }

      @Override
      public Extractor create(io.pricetide.source.SourceDefinition source, java.util.Map<String, Object> config) {
        return make.apply(config);
      }
    };
  }
}
