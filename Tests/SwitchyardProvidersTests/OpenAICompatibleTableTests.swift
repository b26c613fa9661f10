import Foundation
import SwitchyardCore
import SwitchyardProviders
import Testing

@Suite("OpenAI-compatible provider table")
struct OpenAICompatibleTableTests {
    static let table = OpenAICompatibleProvider.table

    @Test func prefixesAreUniqueAndNamedLookupFindsEachRow() {
        let prefixes = Self.table.map(\.prefix)
        let duplicates = Dictionary(grouping: prefixes, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(duplicates.isEmpty, "duplicate prefixes: \(duplicates)")
        for row in Self.table {
            #expect(OpenAICompatibleProvider.named(row.prefix)?.prefix == row.prefix)
        }
        #expect(OpenAICompatibleProvider.named("no-such-provider").isAbsent)
    }

    @Test func hasAtLeastFifteenRowsIncludingTheCommonOnes() {
        #expect(Self.table.count >= 15)
        let prefixes = Set(Self.table.map(\.prefix))
        #expect(prefixes.isSuperset(of: ["groq", "mistral", "deepseek", "xai", "together_ai", "fireworks_ai", "openrouter", "perplexity", "cerebras", "deepinfra", "hosted_vllm", "lm_studio"]))
    }

    @Test func prefixesDoNotShadowOtherProviders() {
        for row in Self.table {
            #expect(!["openai", "azure", "mock"].contains(row.prefix), "\(row.prefix)")
            #expect(!ProviderResolver.notYetSupported.contains(row.prefix), "\(row.prefix) is both supported and not")
            #expect(!row.prefix.contains("/") && !row.prefix.isEmpty && row.prefix == row.prefix.lowercased(), "\(row.prefix)")
        }
    }

    @Test func everyRowHasABaseURLOrDocumentsThatItNeedsAPIBase() throws {
        for row in Self.table {
            if let base = row.defaultBaseURL {
                let url = try #require(URL(string: base), "\(row.prefix): \(base)")
                #expect(["https", "http"].contains(url.scheme ?? ""), "\(row.prefix): \(base)")
                #expect(url.host?.isEmpty == false, "\(row.prefix): \(base)")
                if url.scheme == "http" {
                    #expect(["localhost", "127.0.0.1"].contains(url.host ?? ""), "\(row.prefix): plain http only for local servers")
                }
            } else {
                #expect(row.notes.contains("api_base"), "\(row.prefix) has no default base URL; its notes should say api_base is required")
                // And the resolver says so when a deployment leaves it out.
                let resolved = ProviderResolver.resolve(EndpointParams(model: "\(row.prefix)/m", apiKey: "k"), environment: [:])
                #expect(resolved.problem?.message.contains("api_base") == true, "\(row.prefix)")
            }
        }
    }

    @Test func everyRowThatRequiresAKeyNamesAnEnvironmentVariable() {
        for row in Self.table {
            if row.requiresAPIKey {
                #expect(!row.apiKeyEnvironment.isEmpty, "\(row.prefix) requires a key but names no variable")
            }
            for name in row.apiKeyEnvironment + row.apiBaseEnvironment {
                #expect(!name.isEmpty && name.allSatisfy { $0.isUppercase || $0.isNumber || $0 == "_" }, "\(row.prefix): '\(name)'")
            }
        }
    }

    @Test func everyRowResolvesThroughItsPrefix() throws {
        for row in Self.table {
            var environment: [String: String] = [:]
            if let keyVariable = row.apiKeyEnvironment.first { environment[keyVariable] = "key-\(row.prefix)" }
            let apiBase: String? = row.defaultBaseURL == nil ? "http://localhost:8000/v1" : nil
            let resolved = ProviderResolver.resolve(EndpointParams(model: "\(row.prefix)/vendor/model-x", apiBase: apiBase), environment: environment)
            #expect(resolved.problem.isAbsent, "\(row.prefix): \(resolved.problem?.message ?? "")")
            #expect(resolved.target.provider == row.prefix)
            #expect(resolved.target.model == "vendor/model-x")
            #expect((resolved.adapter as? OpenAIAdapter)?.compatible?.prefix == row.prefix)
            let upstream = try resolved.adapter.chatRequest(ChatRequest(model: "a", messages: [.user("hi")]), target: resolved.target)
            #expect(upstream.url.hasSuffix("/chat/completions") && !upstream.url.contains("//chat"), "\(row.prefix): \(upstream.url)")
            if row.apiKeyEnvironment.first != nil {
                #expect(upstream.headers["Authorization"] == "Bearer key-\(row.prefix)", "\(row.prefix)")
            }
            // Without any key, exactly the rows that require one report it.
            let keyless = ProviderResolver.resolve(EndpointParams(model: "\(row.prefix)/m", apiBase: apiBase), environment: [:])
            #expect((keyless.problem?.kind == .authentication) == row.requiresAPIKey, "\(row.prefix)")
            if row.requiresAPIKey, let first = row.apiKeyEnvironment.first {
                #expect(keyless.problem?.message.contains(first) == true, "\(row.prefix)")
            }
        }
    }

    @Test func unsupportedParametersAreOpenAIParameterNames() {
        let known: Set<String> = [
            "temperature", "top_p", "n", "stop", "max_tokens", "max_completion_tokens", "presence_penalty", "frequency_penalty",
            "logit_bias", "seed", "logprobs", "top_logprobs", "reasoning_effort", "verbosity", "response_format", "tools",
            "tool_choice", "parallel_tool_calls", "modalities", "audio", "prediction", "web_search_options", "functions",
            "function_call", "stream_options", "user", "safety_identifier", "prompt_cache_key", "prompt_cache_retention",
            "service_tier", "store", "metadata",
        ]
        for row in Self.table {
            let unknown = row.unsupportedParameters.subtracting(known)
            #expect(unknown.isEmpty, "\(row.prefix) lists parameters that are not OpenAI's: \(unknown.sorted())")
            // LiteLLM never raises for these, so listing them would fail requests LiteLLM serves.
            #expect(!row.unsupportedParameters.contains("user") && !row.unsupportedParameters.contains("stream_options"), "\(row.prefix)")
        }
    }

    @Test func quirksAreAboutOpenAIParametersAndDoNotContradictEachOther() {
        let toolChoiceStrings: Set<String> = ["none", "auto", "required"]
        for row in Self.table {
            for (name, newName) in row.renamedParameters {
                #expect(!row.unsupportedParameters.contains(name) && !row.ignoredParameters.contains(name), "\(row.prefix): \(name) is renamed and refused")
                #expect(name != newName && !newName.isEmpty && row.renamedParameters[newName] == nil, "\(row.prefix): \(name) -> \(newName)")
            }
            #expect(Set(row.toolChoiceValues.keys).isSubset(of: toolChoiceStrings), "\(row.prefix): \(row.toolChoiceValues)")
            if let accepted = row.acceptedToolChoices {
                #expect(!accepted.isEmpty && accepted.isSubset(of: toolChoiceStrings), "\(row.prefix): \(accepted)")
                #expect(!row.unsupportedParameters.contains("tool_choice"), "\(row.prefix): tool_choice is refused outright")
            }
            #expect(row.ignoredParameters.isDisjoint(with: row.unsupportedParameters), "\(row.prefix)")
            if let prefix = row.modelPrefix {
                #expect(prefix.hasSuffix("/") && prefix.contains("/"), "\(row.prefix): \(prefix)")
                #expect(row.upstreamModel(row.upstreamModel("m")) == row.upstreamModel("m"), "\(row.prefix): the prefix is put on once")
            } else {
                #expect(row.upstreamModel("vendor/m") == "vendor/m")
            }
            // A quirk the notes describe as applied is one the row holds.
            if row.notes.contains("applied: renamedParameters") { #expect(!row.renamedParameters.isEmpty, "\(row.prefix)") }
            if row.notes.contains("applied: toolChoiceValues") { #expect(!row.toolChoiceValues.isEmpty, "\(row.prefix)") }
            if row.notes.contains("applied: acceptedToolChoices") { #expect(row.acceptedToolChoices != nil, "\(row.prefix)") }
            if row.notes.contains("applied: ignoredParameters") { #expect(!row.ignoredParameters.isEmpty, "\(row.prefix)") }
            if row.notes.contains("applied: modelPrefix") { #expect(row.modelPrefix != nil, "\(row.prefix)") }
        }
    }
}
