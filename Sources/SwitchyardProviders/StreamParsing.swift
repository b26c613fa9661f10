import SwitchyardCore

extension ServerSentEventParser {
    /// The events `bytes` complete, with an oversized event as the provider's stream failure
    /// (every stream decoder reads its bytes through this).
    mutating func events(_ bytes: [UInt8], provider: String) throws(UpstreamFailure) -> [ServerSentEvent] {
        do {
            return try parse(bytes)
        } catch {
            throw tooLarge(provider)
        }
    }

    /// `events(_:provider:)` for decoders that forward the raw bytes.
    mutating func rawEvents(_ bytes: [UInt8], provider: String) throws(UpstreamFailure) -> [RawServerSentEvent] {
        do {
            return try parseRaw(bytes)
        } catch {
            throw tooLarge(provider)
        }
    }

    /// `parseRawToBoundary`, with an oversized event as the provider's stream failure.
    mutating func rawEventsToBoundary(_ bytes: ArraySlice<UInt8>, provider: String) throws(UpstreamFailure) -> (events: [RawServerSentEvent], end: Int) {
        do {
            return try parseRawToBoundary(bytes)
        } catch {
            throw tooLarge(provider)
        }
    }

    func tooLarge(_ provider: String) -> UpstreamFailure {
        UpstreamFailure(
            .connection, message: "\(provider) sent a stream event larger than the gateway accepts (\(maxEventBytes >> 20) MB)", provider: provider)
    }
}

extension EmbeddingInput {
    /// The texts to embed, for providers that take text only (token ids are a 400 naming the provider).
    func texts(for target: ProviderTarget, providerName: String) throws(UpstreamFailure) -> [String] {
        switch self {
        case .text(let text): return [text]
        case .texts(let list): return list
        case .tokens, .tokenArrays:
            throw UpstreamFailure(.badRequest, message: "\(providerName) embeddings take text, not token ids", provider: target.provider)
        }
    }
}
