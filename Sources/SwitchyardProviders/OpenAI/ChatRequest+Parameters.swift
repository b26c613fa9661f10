import SwitchyardCore

extension ChatRequest {
    /// Whether the request sets the OpenAI parameter `name` (typed or in `extra`).
    func hasParameter(_ name: String) -> Bool {
        switch name {
        case "temperature": return temperature != nil
        case "top_p": return topP != nil
        case "n": return n != nil
        case "stop": return stop != nil
        case "max_tokens": return maxTokens != nil
        case "max_completion_tokens": return maxCompletionTokens != nil
        case "presence_penalty": return presencePenalty != nil
        case "frequency_penalty": return frequencyPenalty != nil
        case "logit_bias": return logitBias != nil
        case "seed": return seed != nil
        case "logprobs": return logprobs != nil
        case "top_logprobs": return topLogprobs != nil
        case "reasoning_effort": return reasoningEffort != nil
        case "verbosity": return verbosity != nil
        case "response_format": return responseFormat != nil
        case "tools": return tools != nil
        case "tool_choice": return toolChoice != nil
        case "parallel_tool_calls": return parallelToolCalls != nil
        case "modalities": return modalities != nil
        case "audio": return audio != nil
        case "prediction": return prediction != nil
        case "web_search_options": return webSearchOptions != nil
        case "functions": return functions != nil
        case "function_call": return functionCall != nil
        case "stream_options": return streamOptions != nil
        case "user": return user != nil
        case "safety_identifier": return safetyIdentifier != nil
        case "prompt_cache_key": return promptCacheKey != nil
        case "prompt_cache_retention": return promptCacheRetention != nil
        case "service_tier": return serviceTier != nil
        case "store": return store != nil
        case "metadata": return metadata != nil
        default: return extra[name] != nil
        }
    }

    /// Removes the OpenAI parameter `name` (typed or in `extra`).
    mutating func removeParameter(_ name: String) {
        switch name {
        case "temperature": temperature = nil
        case "top_p": topP = nil
        case "n": n = nil
        case "stop": stop = nil
        case "max_tokens": maxTokens = nil
        case "max_completion_tokens": maxCompletionTokens = nil
        case "presence_penalty": presencePenalty = nil
        case "frequency_penalty": frequencyPenalty = nil
        case "logit_bias": logitBias = nil
        case "seed": seed = nil
        case "logprobs": logprobs = nil
        case "top_logprobs": topLogprobs = nil
        case "reasoning_effort": reasoningEffort = nil
        case "verbosity": verbosity = nil
        case "response_format": responseFormat = nil
        case "tools": tools = nil
        case "tool_choice": toolChoice = nil
        case "parallel_tool_calls": parallelToolCalls = nil
        case "modalities": modalities = nil
        case "audio": audio = nil
        case "prediction": prediction = nil
        case "web_search_options": webSearchOptions = nil
        case "functions": functions = nil
        case "function_call": functionCall = nil
        case "stream_options": streamOptions = nil
        case "user": user = nil
        case "safety_identifier": safetyIdentifier = nil
        case "prompt_cache_key": promptCacheKey = nil
        case "prompt_cache_retention": promptCacheRetention = nil
        case "service_tier": serviceTier = nil
        case "store": store = nil
        case "metadata": metadata = nil
        default: extra[name] = nil
        }
    }
}
