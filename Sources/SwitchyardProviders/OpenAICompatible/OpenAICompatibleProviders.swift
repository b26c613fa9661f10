// Data only. Derived by reading BerriAI/litellm (no code copied); see
// docs/research/providers-and-errors.md for the method, caveats and per-file citations.
//
// Conventions used in this table:
// - `defaultBaseURL` is the value LiteLLM falls back to when neither `api_base` nor any
//   `apiBaseEnvironment` variable is set. `nil` means LiteLLM has no default (api_base required).
// - `apiKeyEnvironment` / `apiBaseEnvironment` are listed in LiteLLM's lookup order (first wins).
// - `maxTokensField == .maxTokens` means LiteLLM renames an incoming `max_completion_tokens`
//   to `max_tokens`. `.maxCompletionTokens` means LiteLLM does NOT rename: it forwards whichever
//   of `max_tokens` / `max_completion_tokens` the caller sent, unchanged (do not rewrite
//   `max_tokens` into `max_completion_tokens` for these providers).
// - `unsupportedParameters` is computed against the OpenAI parameter set that LiteLLM's
//   OpenAIGPTConfig.get_supported_openai_params exposes (frequency_penalty, logit_bias,
//   logprobs, top_logprobs, max_tokens, max_completion_tokens, modalities, prediction, n,
//   presence_penalty, seed, stop, stream, stream_options, temperature, top_p, tools,
//   tool_choice, function_call, functions, parallel_tool_calls, audio, response_format, user).
//   A parameter is listed only when the provider's own get_supported_openai_params always
//   omits it. `user` and `stream_options` are never listed: LiteLLM's _check_valid_arg
//   (litellm/utils.py) skips them silently instead of raising; `n` is likewise skipped when n == 1.
//   Model-dependent omissions (e.g. tools on models without function calling) are in `notes`.
// - `renamedParameters`, `toolChoiceValues`, `acceptedToolChoices`, `ignoredParameters` and
//   `modelPrefix` hold what a provider's map_openai_params / transform_request does to a request
//   that is the same for every model of the provider: a parameter sent under another name, a
//   tool_choice string spelled differently, tool_choice values that raise UnsupportedParamsError,
//   parameters accepted but never sent, and a model-name prefix. `notes` says "applied" for the
//   quirks these hold; quirks that rewrite messages or depend on the model stay prose only.

extension OpenAICompatibleProvider {
    /// LiteLLM-compatible OpenAI-dialect providers, keyed by prefix. Sources (BerriAI/litellm):
    /// litellm/litellm_core_utils/get_llm_provider_logic.py (_get_openai_compatible_provider_info),
    /// litellm/constants.py (openai_compatible_providers / openai_compatible_endpoints),
    /// litellm/llms/openai_like/providers.json + json_loader.py + dynamic_config.py,
    /// litellm/llms/<provider>/chat/transformation.py (get_supported_openai_params, map_openai_params),
    /// litellm/llms/openai_like/chat/transformation.py (OpenAILikeChatConfig renames max_completion_tokens),
    /// litellm/main.py (openrouter, custom_openai, xinference branches).
    /// Not included on purpose: `ollama` and `ollama_chat` (native Ollama API: /api/generate and
    /// /api/chat, not the OpenAI dialect), `azure` (own URL scheme; see the research notes).
    public static let table: [OpenAICompatibleProvider] = [
        // MARK: - Hosted providers with a dedicated LiteLLM config

        .init(
            prefix: "groq",
            defaultBaseURL: "https://api.groq.com/openai/v1",
            apiKeyEnvironment: ["GROQ_API_KEY"],
            apiBaseEnvironment: ["GROQ_API_BASE"],
            maxTokensField: .maxTokens,
            notes: "llms/groq/chat/transformation.py (GroqChatConfig < OpenAILikeChatConfig): map_openai_params declares groq supports max_completion_tokens but calls super() without forwarding the flag, so the OpenAILike default renames it to max_tokens (Groq accepts both); response_format json_schema is rewritten into a forced `json_tool_call` tool and streaming is faked when response_format is set; reasoning_effort only for reasoning models; null fields stripped from assistant messages"
        ),
        .init(
            prefix: "mistral",
            defaultBaseURL: "https://api.mistral.ai/v1",
            apiKeyEnvironment: ["MISTRAL_AZURE_API_KEY", "MISTRAL_API_KEY"],
            apiBaseEnvironment: ["MISTRAL_AZURE_API_BASE", "MISTRAL_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "functions", "function_call", "modalities", "audio", "prediction"],
            renamedParameters: ["seed": "random_seed"],
            toolChoiceValues: ["required": "any"],
            notes: "llms/mistral/chat/transformation.py (MistralConfig): chat reads MISTRAL_AZURE_API_BASE (MISTRAL_API_BASE is read by LiteLLM's other Mistral routes); '/v1' is appended to api_base if missing; map_openai_params sends seed as `random_seed` (via extra_body) and maps tool_choice strings other than auto/none to 'any' (applied: renamedParameters, toolChoiceValues). A tool_choice object is not a string there, so LiteLLM leaves it out (older versions sent 'any'); Switchyard forwards it, as Mistral's API takes {type: function, function: {name}}; text-only content lists flattened to strings, `name` dropped from messages; thinking/reasoning_effort only for Magistral-style reasoning models"
        ),
        .init(
            prefix: "codestral",
            defaultBaseURL: "https://codestral.mistral.ai/v1",
            apiKeyEnvironment: ["CODESTRAL_API_KEY"],
            apiBaseEnvironment: ["CODESTRAL_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "functions", "function_call", "modalities", "audio", "prediction"],
            renamedParameters: ["seed": "random_seed"],
            toolChoiceValues: ["required": "any"],
            notes: "get_llm_provider_logic.py (codestral branch); chat params use MistralConfig (utils.py: 'mistal and codestral api have the exact same params') so seed -> random_seed and tool_choice 'required' -> 'any' as for mistral (applied); FIM is a separate provider `text-completion-codestral` (/v1/fim/completions)"
        ),
        .init(
            prefix: "deepseek",
            defaultBaseURL: "https://api.deepseek.com/beta",
            apiKeyEnvironment: ["DEEPSEEK_API_KEY"],
            apiBaseEnvironment: ["DEEPSEEK_API_BASE"],
            notes: "get_llm_provider_logic.py (default is the /beta base, not /v1); llms/deepseek/chat/transformation.py (DeepSeekChatConfig < OpenAIGPTConfig, adds thinking + reasoning_effort): thinking {type: enabled|disabled} kept without budget_tokens, reasoning_effort 'none' -> thinking disabled; non-function tools dropped; content lists collapsed to strings except image_url content for vision models; reasoning_content re-injected on assistant turns in thinking mode"
        ),
        .init(
            prefix: "xai",
            defaultBaseURL: "https://api.x.ai/v1",
            apiKeyEnvironment: ["XAI_API_KEY"],
            apiBaseEnvironment: ["XAI_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["functions", "function_call", "modalities", "audio", "prediction"],
            ignoredParameters: ["web_search_options"],
            notes: "constants.py XAI_API_BASE; llms/xai/chat/transformation.py (XAIChatConfig): `stop` unsupported for model names containing grok-3-mini, grok-4 or grok-code-fast; `frequency_penalty` unsupported for grok-4 and grok-code-fast; `strict` removed from tools; web_search_options accepted but dropped from the request (transform_request: Live Search is deprecated; applied: ignoredParameters); `name` stripped from messages; empty finish_reason with tool_calls rewritten to 'tool_calls'"
        ),
        .init(
            prefix: "together_ai",
            defaultBaseURL: "https://api.together.xyz/v1",
            apiKeyEnvironment: ["TOGETHER_API_KEY", "TOGETHER_AI_API_KEY", "TOGETHERAI_API_KEY", "TOGETHER_AI_TOKEN"],
            apiBaseEnvironment: ["TOGETHER_AI_API_BASE"],
            notes: "get_llm_provider_logic.py (together_ai branch); llms/together_ai/chat.py (TogetherAIConfig < OpenAIGPTConfig): tools, tool_choice, function_call and response_format are removed from the supported list for models not flagged supports_function_calling in LiteLLM's model map; response_format {\"type\":\"text\"} is dropped"
        ),
        .init(
            prefix: "fireworks_ai",
            defaultBaseURL: "https://api.fireworks.ai/inference/v1",
            apiKeyEnvironment: ["FIREWORKS_API_KEY", "FIREWORKS_AI_API_KEY", "FIREWORKSAI_API_KEY", "FIREWORKS_AI_TOKEN"],
            apiBaseEnvironment: ["FIREWORKS_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["functions", "function_call", "modalities", "audio"],
            toolChoiceValues: ["required": "any"],
            modelPrefix: "accounts/fireworks/models/",
            notes: "llms/fireworks_ai/chat/transformation.py (FireworksAIConfig): model is sent as accounts/fireworks/models/{model} unless it already starts with 'accounts/' (transform_request; applied: modelPrefix); tool_choice 'required' -> 'any' (map_openai_params, LiteLLM issue 4416; applied: toolChoiceValues); response_format json_schema is rewritten to {type: json_object, schema} (not applied); tools/parallel_tool_calls/tool_choice depend on model-map flags; older LiteLLM versions also omitted logit_bias, top_logprobs, seed, parallel_tool_calls, prediction; non-OpenAI extras accepted: top_k, min_p, prompt_truncate_len, context_length_exceeded_behavior"
        ),
        .init(
            prefix: "openrouter",
            defaultBaseURL: "https://openrouter.ai/api/v1",
            apiKeyEnvironment: ["OPENROUTER_API_KEY", "OR_API_KEY"],
            apiBaseEnvironment: ["OPENROUTER_API_BASE"],
            notes: "llms/openrouter/common_utils.py + main.py: also sends HTTP-Referer (env OR_SITE_URL, default https://litellm.ai) and X-Title (env OR_APP_NAME, default liteLLM); OpenrouterConfig < OpenAIGPTConfig moves transforms/models/route into the body and always adds usage {include: true}; 'openrouter/<vendor>/<model>' is sent as '<vendor>/<model>' while native ids like 'openrouter/auto' keep their prefix"
        ),
        .init(
            prefix: "perplexity",
            defaultBaseURL: "https://api.perplexity.ai",
            apiKeyEnvironment: ["PERPLEXITYAI_API_KEY", "PERPLEXITY_API_KEY"],
            apiBaseEnvironment: ["PERPLEXITY_API_BASE"],
            unsupportedParameters: ["tools", "tool_choice", "functions", "function_call", "parallel_tool_calls", "logit_bias", "logprobs", "top_logprobs", "n", "seed", "stop", "modalities", "audio", "prediction"],
            notes: "llms/perplexity/chat/transformation.py (PerplexityChatConfig): explicit allow-list frequency_penalty, max_tokens, max_completion_tokens, presence_penalty, response_format, stream, temperature, top_p (+reasoning_effort for reasoning models); both token fields forwarded unchanged"
        ),
        .init(
            prefix: "cerebras",
            defaultBaseURL: "https://api.cerebras.ai/v1",
            apiKeyEnvironment: ["CEREBRAS_API_KEY"],
            apiBaseEnvironment: ["CEREBRAS_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "functions", "function_call", "parallel_tool_calls", "modalities", "audio", "prediction"],
            notes: "get_llm_provider_logic.py (cerebras branch); llms/cerebras/chat.py (CerebrasConfig): allow-list max_tokens, max_completion_tokens, response_format, seed, stop, stream, temperature, top_p, tool_choice, tools, user (+reasoning_effort for reasoning models)"
        ),
        .init(
            prefix: "deepinfra",
            defaultBaseURL: "https://api.deepinfra.com/v1/openai",
            apiKeyEnvironment: ["DEEPINFRA_API_KEY"],
            apiBaseEnvironment: ["DEEPINFRA_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["logprobs", "top_logprobs", "seed", "parallel_tool_calls", "modalities", "audio", "prediction"],
            acceptedToolChoices: ["auto", "none"],
            notes: "llms/deepinfra/chat/transformation.py (DeepInfraConfig): tool_choice values other than 'auto'/'none' raise UnsupportedParamsError (400) unless drop_params, in which case tool_choice is dropped (applied: acceptedToolChoices); temperature 0 bumped to 0.0001 for mistralai/Mistral-7B-Instruct-v0.1"
        ),
        .init(
            prefix: "nvidia_nim",
            defaultBaseURL: "https://integrate.api.nvidia.com/v1",
            apiKeyEnvironment: ["NVIDIA_NIM_API_KEY"],
            apiBaseEnvironment: ["NVIDIA_NIM_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["logit_bias", "logprobs", "top_logprobs", "n", "functions", "function_call", "modalities", "audio", "prediction"],
            notes: "get_llm_provider_logic.py (nvidia_nim branch); llms/nvidia_nim/chat/transformation.py (NvidiaNimConfig): set above is the default-case allow-list; a few models are narrower (google/gemma-2-*, google/recurrentgemma-2b: no tools/penalties/max_completion_tokens; nvidia/nemotron-4-340b-instruct: only temperature/top_p/max tokens; google/codegemma-1.1-7b: no seed/tools)"
        ),
        .init(
            prefix: "sambanova",
            defaultBaseURL: "https://api.sambanova.ai/v1",
            apiKeyEnvironment: ["SAMBANOVA_API_KEY"],
            apiBaseEnvironment: ["SAMBANOVA_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "seed", "functions", "function_call", "modalities", "audio", "prediction"],
            notes: "llms/sambanova/chat.py (SambanovaConfig): tools/tool_choice/parallel_tool_calls only for models flagged supports_function_calling; adds header X-Integration-Source (env SAMBANOVA_INTEGRATION_SOURCE, default 'litellm'); content lists flattened to strings"
        ),
        .init(
            prefix: "anyscale",
            defaultBaseURL: "https://api.endpoints.anyscale.com/v1",
            apiKeyEnvironment: ["ANYSCALE_API_KEY"],
            apiBaseEnvironment: ["ANYSCALE_API_BASE"],
            notes: "get_llm_provider_logic.py (anyscale branch, inline); no provider-specific chat config, so params go through unchanged; legacy endpoint kept for config compatibility"
        ),
        .init(
            prefix: "novita",
            defaultBaseURL: "https://api.novita.ai/v3/openai",
            apiKeyEnvironment: ["NOVITA_API_KEY"],
            apiBaseEnvironment: ["NOVITA_API_BASE"],
            notes: "get_llm_provider_logic.py (novita branch); llms/novita/chat/transformation.py (NovitaConfig < OpenAIGPTConfig): raises if no key; adds header X-Novita-Source: litellm unless the caller set it"
        ),
        .init(
            prefix: "nebius",
            defaultBaseURL: "https://api.studio.nebius.ai/v1",
            apiKeyEnvironment: ["NEBIUS_API_KEY"],
            apiBaseEnvironment: ["NEBIUS_API_BASE"],
            maxTokensField: .maxTokens,
            notes: "get_llm_provider_logic.py (nebius branch); llms/nebius/chat/transformation.py (NebiusConfig): only quirk is max_completion_tokens -> max_tokens"
        ),
        .init(
            prefix: "hyperbolic",
            defaultBaseURL: "https://api.hyperbolic.xyz/v1",
            apiKeyEnvironment: ["HYPERBOLIC_API_KEY"],
            apiBaseEnvironment: ["HYPERBOLIC_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["logit_bias", "logprobs", "top_logprobs", "functions", "function_call", "parallel_tool_calls", "modalities", "audio", "prediction"],
            notes: "llms/hyperbolic/chat/transformation.py (HyperbolicChatConfig < OpenAILikeChatConfig): its allow-list omits max_completion_tokens, so LiteLLM rejects it (400, or drops it with drop_params) before the OpenAILike rename can run; renaming to max_tokens is the safer gateway behaviour"
        ),
        .init(
            prefix: "lambda_ai",
            defaultBaseURL: "https://api.lambda.ai/v1",
            apiKeyEnvironment: ["LAMBDA_API_KEY"],
            apiBaseEnvironment: ["LAMBDA_API_BASE"],
            maxTokensField: .maxTokens,
            notes: "llms/lambda_ai/chat/transformation.py (LambdaAIChatConfig < OpenAILikeChatConfig): no param restrictions beyond the rename"
        ),
        .init(
            prefix: "friendliai",
            defaultBaseURL: "https://api.friendli.ai/serverless/v1",
            apiKeyEnvironment: ["FRIENDLIAI_API_KEY", "FRIENDLI_TOKEN"],
            apiBaseEnvironment: ["FRIENDLI_API_BASE"],
            maxTokensField: .maxTokens,
            notes: "get_llm_provider_logic.py (friendliai branch); llms/friendliai/chat/transformation.py (FriendliaiChatConfig < OpenAILikeChatConfig, no overrides)"
        ),
        .init(
            prefix: "moonshot",
            defaultBaseURL: "https://api.moonshot.ai/v1",
            apiKeyEnvironment: ["MOONSHOT_API_KEY"],
            apiBaseEnvironment: ["MOONSHOT_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["functions"],
            notes: "llms/moonshot/chat/transformation.py (MoonshotChatConfig): temperature clamped to <= 1 and raised to 0.3 when < 0.3 with n > 1, dropped entirely for reasoning models; tool_choice 'required' removed and a user message 'Please select a tool to handle the current issue.' appended (not applied: it rewrites the messages, not a parameter); kimi-thinking-preview also rejects tools/tool_choice; text-only content lists flattened"
        ),
        .init(
            prefix: "dashscope",
            defaultBaseURL: "https://dashscope-intl.aliyuncs.com/compatible-mode/v1",
            apiKeyEnvironment: ["DASHSCOPE_API_KEY"],
            apiBaseEnvironment: ["DASHSCOPE_API_BASE"],
            notes: "llms/dashscope/chat/transformation.py (DashScopeChatConfig < OpenAIGPTConfig): default is the international endpoint (get_complete_url falls back to mainland https://dashscope.aliyuncs.com/compatible-mode/v1 only when api_base is empty); content lists flattened to strings"
        ),
        .init(
            prefix: "github",
            defaultBaseURL: "https://models.inference.ai.azure.com",
            apiKeyEnvironment: ["GITHUB_API_KEY"],
            apiBaseEnvironment: ["GITHUB_API_BASE"],
            maxTokensField: .maxTokens,
            notes: "get_llm_provider_logic.py (github branch: 'github's default base url'); llms/github/chat/transformation.py (GithubChatConfig < OpenAILikeChatConfig, no overrides). Not github_copilot, which uses OAuth device login"
        ),
        .init(
            prefix: "featherless_ai",
            defaultBaseURL: "https://api.featherless.ai/v1",
            apiKeyEnvironment: ["FEATHERLESS_AI_API_KEY", "FEATHERLESS_API_KEY"],
            apiBaseEnvironment: ["FEATHERLESS_AI_API_BASE", "FEATHERLESS_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["logprobs", "top_logprobs", "seed", "parallel_tool_calls", "modalities", "audio", "prediction"],
            acceptedToolChoices: ["auto", "none"],
            notes: "llms/featherless_ai/chat/transformation.py (FeatherlessAIConfig): tool_choice other than 'auto'/'none' -> 400 unless drop_params, then dropped (applied: acceptedToolChoices); env order per LiteLLM env docs (FEATHERLESS_AI_* first, FEATHERLESS_* aliases; older versions read only FEATHERLESS_API_KEY/FEATHERLESS_API_BASE)"
        ),
        .init(
            prefix: "nscale",
            defaultBaseURL: "https://inference.api.nscale.com/v1",
            apiKeyEnvironment: ["NSCALE_API_KEY"],
            apiBaseEnvironment: ["NSCALE_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "seed", "stop", "tools", "tool_choice", "functions", "function_call", "parallel_tool_calls", "response_format", "modalities", "audio", "prediction"],
            notes: "llms/nscale/chat/transformation.py (NscaleConfig.API_BASE_URL): allow-list is only max_tokens, n, temperature, top_p; max_completion_tokens is not in it (LiteLLM rejects it rather than renaming)"
        ),
        .init(
            prefix: "meta_llama",
            defaultBaseURL: "https://api.llama.com/compat/v1",
            apiKeyEnvironment: ["LLAMA_API_KEY"],
            apiBaseEnvironment: ["LLAMA_API_BASE"],
            notes: "get_llm_provider_logic.py (meta_llama branch); llms/meta_llama/chat/transformation.py (LlamaAPIConfig): response_format is silently dropped unless type == 'json_schema'"
        ),
        .init(
            prefix: "galadriel",
            defaultBaseURL: "https://api.galadriel.com/v1",
            apiKeyEnvironment: ["GALADRIEL_API_KEY"],
            apiBaseEnvironment: ["GALADRIEL_API_BASE"],
            notes: "get_llm_provider_logic.py (galadriel branch, inline). constants.openai_compatible_endpoints lists api.galadriel.ai/v1 while the default here is api.galadriel.com/v1 (LiteLLM inconsistency)"
        ),
        .init(
            prefix: "zai",
            defaultBaseURL: "https://api.z.ai/api/paas/v4",
            apiKeyEnvironment: ["ZAI_API_KEY"],
            apiBaseEnvironment: ["ZAI_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "seed", "response_format", "functions", "function_call", "parallel_tool_calls", "modalities", "audio", "prediction"],
            notes: "llms/zai/chat/transformation.py (ZAIChatConfig): allow-list max_tokens, stream, stream_options, temperature, top_p, stop, tools, tool_choice (+thinking for reasoning models); max_completion_tokens is absent (LiteLLM rejects it; renaming is safer); cache_control preserved; list content in tool/assistant messages flattened"
        ),
        .init(
            prefix: "vercel_ai_gateway",
            defaultBaseURL: "https://ai-gateway.vercel.sh/v1",
            apiKeyEnvironment: ["VERCEL_AI_GATEWAY_API_KEY", "VERCEL_OIDC_TOKEN"],
            apiBaseEnvironment: ["VERCEL_AI_GATEWAY_API_BASE"],
            notes: "llms/vercel_ai_gateway/chat/transformation.py (VercelAIGatewayConfig < OpenAIGPTConfig): `providerOptions` moved into the request body"
        ),
        .init(
            prefix: "inception",
            defaultBaseURL: "https://api.inceptionlabs.ai/v1",
            apiKeyEnvironment: ["INCEPTION_API_KEY"],
            apiBaseEnvironment: ["INCEPTION_API_BASE"],
            maxTokensField: .maxTokens,
            unsupportedParameters: ["frequency_penalty", "presence_penalty", "logit_bias", "logprobs", "top_logprobs", "n", "seed", "top_p", "functions", "function_call", "parallel_tool_calls", "modalities", "audio", "prediction"],
            notes: "llms/inception/chat/transformation.py (InceptionChatConfig < OpenAILikeChatConfig): allow-list max_tokens, max_completion_tokens, temperature, stop, tools, tool_choice, stream, stream_options, response_format, reasoning_effort + Mercury extras (reasoning_summary, diffusing, realtime)"
        ),

        // MARK: - Self-hosted / local servers (api_base usually required, key optional)

        .init(
            prefix: "hosted_vllm",
            defaultBaseURL: nil,
            apiKeyEnvironment: ["HOSTED_VLLM_API_KEY"],
            apiBaseEnvironment: ["HOSTED_VLLM_API_BASE"],
            requiresAPIKey: false,
            notes: "llms/hosted_vllm/chat/transformation.py (HostedVLLMChatConfig < OpenAIGPTConfig): no default base, api_base required; key falls back to 'fake-api-key'; additionalProperties and strict stripped from tool schemas, custom tools converted to function tools; Anthropic-style thinking mapped to reasoning_effort; file content with video mime -> video_url"
        ),
        .init(
            prefix: "lm_studio",
            defaultBaseURL: nil,
            apiKeyEnvironment: ["LM_STUDIO_API_KEY"],
            apiBaseEnvironment: ["LM_STUDIO_API_BASE"],
            requiresAPIKey: false,
            notes: "llms/lm_studio/chat/transformation.py (LMStudioChatConfig): LiteLLM has no default base, api_base required (LM Studio's own server default is http://localhost:1234/v1); key falls back to 'fake-api-key'; response_format json_schema given as {schema} is wrapped into {json_schema: {schema}}"
        ),
        .init(
            prefix: "llamafile",
            defaultBaseURL: "http://127.0.0.1:8080/v1",
            apiKeyEnvironment: ["LLAMAFILE_API_KEY"],
            apiBaseEnvironment: ["LLAMAFILE_API_BASE"],
            requiresAPIKey: false,
            notes: "llms/llamafile/chat/transformation.py (LlamafileChatConfig): key falls back to 'fake-api-key'; no param restrictions"
        ),
        .init(
            prefix: "xinference",
            defaultBaseURL: "http://127.0.0.1:9997/v1",
            apiKeyEnvironment: ["XINFERENCE_API_KEY"],
            apiBaseEnvironment: ["XINFERENCE_API_BASE"],
            requiresAPIKey: false,
            notes: "main.py xinference branch (embeddings: default base above, key falls back to 'stub-xinference-key'); constants.openai_compatible_providers lists xinference, but chat has no dedicated branch and falls to the generic OpenAI path, so set api_base explicitly for chat"
        ),
        .init(
            prefix: "docker_model_runner",
            defaultBaseURL: "http://localhost:12434/engines/v1",
            apiKeyEnvironment: ["DOCKER_MODEL_RUNNER_API_KEY"],
            apiBaseEnvironment: ["DOCKER_MODEL_RUNNER_API_BASE"],
            requiresAPIKey: false,
            maxTokensField: .maxTokens,
            notes: "llms/docker_model_runner/chat/transformation.py: key falls back to 'dummy-key' (always sends Authorization: Bearer); text-only content lists flattened to strings"
        ),
        .init(
            prefix: "lemonade",
            defaultBaseURL: "http://localhost:8000/api/v1",
            apiKeyEnvironment: ["LEMONADE_API_KEY"],
            apiBaseEnvironment: ["LEMONADE_API_BASE"],
            requiresAPIKey: false,
            maxTokensField: .maxTokens,
            notes: "llms/lemonade/chat/transformation.py (LemonadeChatConfig < OpenAILikeChatConfig): key falls back to 'lemonade'"
        ),
        .init(
            prefix: "litellm_proxy",
            defaultBaseURL: nil,
            apiKeyEnvironment: ["LITELLM_PROXY_API_KEY"],
            apiBaseEnvironment: ["LITELLM_PROXY_API_BASE"],
            requiresAPIKey: false,
            notes: "llms/litellm_proxy/chat/transformation.py (LiteLLMProxyChatConfig): api_base required; supports every OpenAI chat param (OPENAI_CHAT_COMPLETION_PARAMS) and forwards untransformed; `thinking` moved to extra_body; key optional (proxy may run without a master key)"
        ),
        .init(
            prefix: "openai_like",
            defaultBaseURL: nil,
            apiKeyEnvironment: ["OPENAI_LIKE_API_KEY"],
            apiBaseEnvironment: ["OPENAI_LIKE_API_BASE"],
            requiresAPIKey: false,
            maxTokensField: .maxTokens,
            notes: "llms/openai_like/chat/transformation.py (OpenAILikeChatConfig): api_base required; key falls back to '' ('vllm does not require an api key'); max_completion_tokens renamed to max_tokens ('most openai-compatible providers support max_tokens'); null *_tokens usage fields coerced to 0"
        ),
        .init(
            prefix: "custom_openai",
            defaultBaseURL: nil,
            apiKeyEnvironment: ["OPENAI_API_KEY"],
            apiBaseEnvironment: ["OPENAI_BASE_URL", "OPENAI_API_BASE"],
            notes: "main.py generic OpenAI branch: api_base is meant to be set per model; if absent LiteLLM falls back to OPENAI_BASE_URL, OPENAI_API_BASE, then https://api.openai.com/v1; OpenAI param mapping (no rename); OPENAI_ORGANIZATION is also applied on this path"
        ),

        // MARK: - JSON-configured providers (litellm/llms/openai_like/providers.json)
        // Loaded by json_loader.py; base_class defaults to "openai_gpt" (OpenAIGPTConfig), so there is no
        // rename unless param_mappings says max_completion_tokens -> max_tokens. api_base_env is optional.
        // Tool params are removed for models not flagged supports_function_calling (dynamic_config.py).

        .init(
            prefix: "publicai",
            defaultBaseURL: "https://api.publicai.co/v1",
            apiKeyEnvironment: ["PUBLICAI_API_KEY"],
            apiBaseEnvironment: ["PUBLICAI_API_BASE"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens; special_handling convert_content_list_to_string (content lists flattened to strings)"
        ),
        .init(
            prefix: "helicone",
            defaultBaseURL: "https://ai-gateway.helicone.ai/",
            apiKeyEnvironment: ["HELICONE_API_KEY"],
            notes: "providers.json (base URL has a trailing slash exactly as stored; trim before appending /chat/completions)"
        ),
        .init(
            prefix: "veniceai",
            defaultBaseURL: "https://api.venice.ai/api/v1",
            apiKeyEnvironment: ["VENICE_AI_API_KEY"],
            notes: "providers.json"
        ),
        .init(
            prefix: "xiaomi_mimo",
            defaultBaseURL: "https://api.xiaomimimo.com/v1",
            apiKeyEnvironment: ["XIAOMI_MIMO_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens"
        ),
        .init(
            prefix: "scaleway",
            defaultBaseURL: "https://api.scaleway.ai/v1",
            apiKeyEnvironment: ["SCW_SECRET_KEY"],
            notes: "providers.json (key env is Scaleway's SCW_SECRET_KEY)"
        ),
        .init(
            prefix: "synthetic",
            defaultBaseURL: "https://api.synthetic.new/openai/v1",
            apiKeyEnvironment: ["SYNTHETIC_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens"
        ),
        .init(
            prefix: "apertis",
            defaultBaseURL: "https://api.stima.tech/v1",
            apiKeyEnvironment: ["STIMA_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens"
        ),
        .init(
            prefix: "nano-gpt",
            defaultBaseURL: "https://nano-gpt.com/api/v1",
            apiKeyEnvironment: ["NANOGPT_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens (prefix contains a hyphen)"
        ),
        .init(
            prefix: "poe",
            defaultBaseURL: "https://api.poe.com/v1",
            apiKeyEnvironment: ["POE_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens"
        ),
        .init(
            prefix: "chutes",
            defaultBaseURL: "https://llm.chutes.ai/v1/",
            apiKeyEnvironment: ["CHUTES_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens (base URL has a trailing slash exactly as stored; trim before appending)"
        ),
        .init(
            prefix: "abliteration",
            defaultBaseURL: "https://api.abliteration.ai/v1",
            apiKeyEnvironment: ["ABLITERATION_API_KEY"],
            notes: "providers.json"
        ),
        .init(
            prefix: "llamagate",
            defaultBaseURL: "https://api.llamagate.dev/v1",
            apiKeyEnvironment: ["LLAMAGATE_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens"
        ),
        .init(
            prefix: "gmi",
            defaultBaseURL: "https://api.gmi-serving.com/v1",
            apiKeyEnvironment: ["GMI_API_KEY"],
            notes: "providers.json"
        ),
        .init(
            prefix: "sarvam",
            defaultBaseURL: "https://api.sarvam.ai/v1",
            apiKeyEnvironment: ["SARVAM_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens; also declares header api-subscription-key: {api_key} in addition to Authorization: Bearer"
        ),
        .init(
            prefix: "assemblyai",
            defaultBaseURL: "https://llm-gateway.assemblyai.com/v1",
            apiKeyEnvironment: ["ASSEMBLYAI_API_KEY"],
            notes: "providers.json (LLM gateway endpoint)"
        ),
        .init(
            prefix: "charity_engine",
            defaultBaseURL: "https://api.charityengine.services/remotejobs/v2/inference",
            apiKeyEnvironment: ["CHARITY_ENGINE_API_KEY"],
            maxTokensField: .maxTokens,
            notes: "providers.json: param_mappings max_completion_tokens->max_tokens"
        ),
        .init(
            prefix: "aihubmix",
            defaultBaseURL: "https://aihubmix.com/v1",
            apiKeyEnvironment: ["AIHUBMIX_API_KEY"],
            apiBaseEnvironment: ["AIHUBMIX_API_BASE"],
            notes: "providers.json"
        ),
    ]
}
