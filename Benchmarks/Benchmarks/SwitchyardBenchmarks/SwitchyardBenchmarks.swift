// Micro-benchmarks of the pieces every proxied request goes through, on the same bytes the
// load benchmark (bench/run.sh) sends and serves: bench/fixtures/request.json (the client's
// request), chat_completion.json (the upstream's answer) and chat_stream.sse (the upstream's
// 21-event stream), and for the translated case anthropic_message.json and anthropic_stream.sse
// (the same answer as the bench's mock serves it in Anthropic's format, written by
// bench/lib/fixtures.py). Public API of the main package only.

import Benchmark
import Foundation
import Switchyard

// MARK: - Fixtures

/// bench/fixtures, found from this file's place in the checkout (or `SWITCHYARD_BENCH_FIXTURES`).
private let fixturesDirectory: URL = {
    if let path = ProcessInfo.processInfo.environment["SWITCHYARD_BENCH_FIXTURES"] {
        return URL(fileURLWithPath: path, isDirectory: true)
    }
    // <repo>/Benchmarks/Benchmarks/SwitchyardBenchmarks/SwitchyardBenchmarks.swift
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { url.deleteLastPathComponent() }
    return url.appendingPathComponent("bench/fixtures", isDirectory: true)
}()

private func fixture(_ name: String) -> [UInt8] {
    let url = fixturesDirectory.appendingPathComponent(name)
    guard let data = FileManager.default.contents(atPath: url.path) else {
        fatalError("missing fixture \(url.path) (set SWITCHYARD_BENCH_FIXTURES to bench/fixtures)")
    }
    return Array(data)
}

/// Fails the run loudly when a fixture does not decode: a benchmark of a thrown error measures nothing.
private func must<T>(_ what: String, _ body: () throws -> T) -> T {
    do {
        return try body()
    } catch {
        fatalError("\(what): \(error)")
    }
}

// MARK: - Benchmarks

let benchmarks: @Sendable () -> Void = {
    // wall clock, allocations, throughput; not CPU time: the kernel counts it in 10 ms ticks here,
    // which reads 0 for work of microseconds
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .throughput],
        warmupIterations: 10,
        maxDuration: .seconds(2),
        maxIterations: 200_000
    )

    let requestBytes = fixture("request.json")
    let responseBytes = fixture("chat_completion.json")
    let streamBytes = fixture("chat_stream.sse")

    let request = must("request.json") { try JSONCoding.decode(ChatRequest.self, from: requestBytes) }
    let response = must("chat_completion.json") { try JSONCoding.decode(ChatResponse.self, from: responseBytes) }
    let target = ProviderTarget(
        provider: "openai", model: "gpt-4o-mini", apiBase: "http://127.0.0.1:18101/v1", apiKey: "sk-mock")

    // Sanity before measuring: the stream is 21 events and decodes to 20 chunks plus [DONE].
    let eventCount = must("chat_stream.sse") {
        var parser = ServerSentEventParser()
        return try parser.parse(streamBytes).count + parser.finish().count
    }
    precondition(eventCount == 21, "chat_stream.sse: expected 21 events, parsed \(eventCount)")
    let chunkCount = must("OpenAIStreamDecoder") {
        var decoder = OpenAIStreamDecoder(provider: "openai")
        return try decoder.decode(streamBytes).count + decoder.finish().count
    }
    precondition(chunkCount == 20, "chat_stream.sse: expected 20 chunks, decoded \(chunkCount)")

    // The client's request body, as the gateway decodes it (311 bytes, two messages).
    Benchmark("ChatRequest decode (request.json)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try JSONCoding.decode(ChatRequest.self, from: requestBytes))
        }
    }

    // The same body as the gateway reads it for a translated request: the usual shape read from
    // its scan (`decisions/2026-12-06-translated-json-without-dictionaries.md`).
    precondition(must("request.json") { try ChatRequest.decoded(from: requestBytes) } == request, "the usual read differs from the decoder")
    Benchmark("ChatRequest.decoded (request.json, the usual read)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try ChatRequest.decoded(from: requestBytes))
        }
    }

    // The upstream's answer, decoded as the non-streaming path does (884 bytes).
    Benchmark("ChatResponse decode (chat_completion.json)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try JSONCoding.decode(ChatResponse.self, from: responseBytes))
        }
    }

    // ... and encoded again for the client.
    Benchmark("ChatResponse encode") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try JSONCoding.encode(response))
        }
    }

    // The request translated for an OpenAI deployment: model swap, parameter checks, JSON body, headers.
    Benchmark("OpenAIAdapter.chatRequest") { benchmark in
        let adapter = OpenAIAdapter()
        for _ in benchmark.scaledIterations {
            blackHole(try adapter.chatRequest(request, target: target))
        }
    }

    // The translated case: the client's request as an Anthropic Messages body, the Anthropic
    // answer back as an OpenAI response, the Anthropic event stream as OpenAI chunks.
    let anthropicTarget = ProviderTarget(
        provider: "anthropic", model: "claude-sonnet-4-5", apiBase: "http://127.0.0.1:18101/anthropic", apiKey: "sk-mock")
    let anthropicAnswer = UpstreamAnswer(status: 200, body: fixture("anthropic_message.json"))
    let anthropicStream = fixture("anthropic_stream.sse")
    let translatedChunks = must("anthropic_stream.sse") {
        var decoder = AnthropicAdapter().chatStreamDecoder(target: anthropicTarget)
        return try decoder.decode(anthropicStream).count + decoder.finish().count
    }
    precondition(translatedChunks == 21, "anthropic_stream.sse: expected 21 chunks, decoded \(translatedChunks)")
    Benchmark("AnthropicAdapter.chatRequest (request.json)") { benchmark in
        let adapter = AnthropicAdapter()
        for _ in benchmark.scaledIterations {
            blackHole(try adapter.chatRequest(request, target: anthropicTarget))
        }
    }
    Benchmark("AnthropicAdapter.chatResponse (anthropic_message.json)") { benchmark in
        let adapter = AnthropicAdapter()
        for _ in benchmark.scaledIterations {
            blackHole(try adapter.chatResponse(anthropicAnswer, target: anthropicTarget))
        }
    }
    Benchmark("AnthropicStreamDecoder (23 events -> 21 chunks)") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = AnthropicAdapter().chatStreamDecoder(target: anthropicTarget)
            blackHole(try decoder.decode(anthropicStream))
            blackHole(try decoder.finish())
        }
    }
    // The same stream as the gateway relays it: OpenAI events, text deltas copied as written.
    Benchmark("AnthropicStreamDecoder (23 events -> OpenAI events)") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = AnthropicAdapter().chatStreamDecoder(target: anthropicTarget)
            var frames = ChunkFrameWriter(created: 1_700_000_000)
            try decoder.decode(anthropicStream, into: &frames)
            try decoder.finish(into: &frames)
            blackHole(frames.frame)
        }
    }

    // The 21-event stream (6 KB) through the SSE parser, as one buffer.
    Benchmark("ServerSentEventParser (21 events, one buffer)") { benchmark in
        for _ in benchmark.scaledIterations {
            var parser = ServerSentEventParser()
            blackHole(try parser.parse(streamBytes))
            blackHole(parser.finish())
        }
    }

    // The same stream fed in 512-byte reads, the way a socket delivers it.
    let reads: [[UInt8]] = stride(from: 0, to: streamBytes.count, by: 512).map {
        Array(streamBytes[$0..<min($0 + 512, streamBytes.count)])
    }
    Benchmark("ServerSentEventParser (21 events, 512 B reads)") { benchmark in
        for _ in benchmark.scaledIterations {
            var parser = ServerSentEventParser()
            for read in reads { blackHole(try parser.parse(read)) }
            blackHole(parser.finish())
        }
    }

    // SSE parsing plus one ChatChunk decode per event: what the streaming path does per stream.
    Benchmark("OpenAIStreamDecoder (21 events -> 20 chunks)") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = OpenAIStreamDecoder(provider: "openai")
            blackHole(try decoder.decode(streamBytes))
            blackHole(try decoder.finish())
        }
    }

    // The forwarding path's stream reader: events read from the buffer while they come whole
    // (a read's last, cut off, goes through the SSE parser), a check of each (whole until
    // content, then a glance), the events of each read as one buffer (what a forwarded OpenAI
    // stream costs). In one buffer, as a fast upstream sends it; and in 512-byte reads.
    Benchmark("OpenAIPassthroughDecoder (21 events, one buffer)") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = OpenAIPassthroughDecoder(provider: "openai")
            blackHole(try decoder.decode(streamBytes))
            blackHole(try decoder.finish())
        }
    }
    Benchmark("OpenAIPassthroughDecoder (21 events, 512 B reads)") { benchmark in
        for _ in benchmark.scaledIterations {
            var decoder = OpenAIPassthroughDecoder(provider: "openai")
            for read in reads { blackHole(try decoder.decode(read)) }
            blackHole(try decoder.finish())
        }
    }

    // One content chunk of that stream through the validating scan (members found, nothing decoded).
    let chunkEvent: [UInt8] = {
        var parser = ServerSentEventParser()
        let events = must("chat_stream.sse") { try parser.parseRaw(streamBytes) }
        return events.count > 1 ? Array(events[1].data) : []
    }()
    Benchmark("JSONObjectScan (one stream chunk)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(JSONObjectScan(chunkEvent))
        }
    }

    // What the forwarded stream's reader asks of each event after the scan: an error, usage,
    // the choices.
    Benchmark("JSONObjectScan + member lookups (one stream chunk)") { benchmark in
        for _ in benchmark.scaledIterations {
            guard let scan = JSONObjectScan(chunkEvent) else { continue }
            blackHole(scan.isNull("error"))
            blackHole(scan.valueBytes("usage"))
            blackHole(scan.valueBytes("choices"))
        }
    }

    // The same three members found during the validating scan, nothing else kept (what the
    // forwarded stream's reader does now).
    Benchmark("JSONObjectScan.values (one stream chunk)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(JSONObjectScan.values(("error", "usage", "choices"), in: chunkEvent))
        }
    }

    // The usage of the upstream's answer, read from its bytes (the forwarding path's accounting).
    let usageBytes: ArraySlice<UInt8> = must("usage") {
        guard let slice = JSONObjectScan(responseBytes)?.valueBytes("usage") else { throw CocoaError(.coderReadCorrupt) }
        return slice
    }
    Benchmark("Usage.read (the answer's usage)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(Usage.read(usageBytes))
        }
    }

    // A whole routed call through the public Router to the in-process `mock/` provider:
    // planning, selection, adapter, in-process transport, response decode, health bookkeeping.
    let router = must("Router") {
        try Router(
            modelList: [.init(modelName: "gpt-4o-mini", params: .init(model: "mock/gpt-4o-mini"))],
            settings: RouterSettings())
    }
    Benchmark("Router.completion (mock/ deployment)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try await router.completion(request))
        }
    }

    // The same, streamed and drained: session task, stream decoder, chunk hand-off to the caller
    // (the in-process mock sends a role chunk, one chunk per word of its echo (21 here) and a finish chunk).
    Benchmark("Router.streamCompletion (mock/ deployment, drained)") { benchmark in
        for _ in benchmark.scaledIterations {
            let stream = try await router.streamCompletion(request)
            for try await chunk in stream { blackHole(chunk) }
        }
    }
}
