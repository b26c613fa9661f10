import Foundation
import Switchyard
import SwitchyardConfig
import SwitchyardServer

let masterKey = "sk-test-master"

func makeGateway(
    _ deployments: [Deployment] = defaultDeployments, settings: RouterSettings = RouterSettings(),
    masterKey key: String? = masterKey, maxRequestBytes: Int? = nil
) throws -> Gateway {
    var server = ServerSettings(masterKey: key)
    if let maxRequestBytes { server.maxRequestBytes = maxRequestBytes }
    return try Gateway(config: GatewayConfig(modelList: deployments, router: settings, server: server, environment: [:]))
}

let defaultDeployments: [Deployment] = [
    Deployment(modelName: "gpt-4o-mini", params: .init(model: "mock/gpt-4o-mini"), modelInfo: .init(id: "mini-1")),
    Deployment(modelName: "broken", params: .init(model: "mock/broken", numRetries: 0, extra: ["mock_fault": "status=500"]), modelInfo: .init(id: "broken-1")),
    Deployment(modelName: "embed", params: .init(model: "mock/embed"), modelInfo: .init(id: "embed-1", mode: "embedding")),
    Deployment(modelName: "dies", params: .init(model: "mock/dies", numRetries: 0, extra: ["mock_fault": "die_after=1"]), modelInfo: .init(id: "dies-1")),
]

func post(_ path: String, json: String, headers: HeaderFields = ["Authorization": "Bearer \(masterKey)"]) -> GatewayRequest {
    var all = headers
    all.add("Content-Type", "application/json")
    return GatewayRequest(method: "POST", path: path, headers: all, body: Array(json.utf8))
}

func get(_ path: String, headers: HeaderFields = ["Authorization": "Bearer \(masterKey)"], query: [String: String] = [:]) -> GatewayRequest {
    GatewayRequest(method: "GET", path: path, query: query, headers: headers)
}

extension GatewayResponse {
    var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }

    var json: JSONValue? { try? JSONCoding.decode(JSONValue.self, from: bodyBytes) }

    /// The whole streamed body, collected.
    func collectStream() async throws -> String {
        guard case .stream(let write) = body else { return String(decoding: bodyBytes, as: UTF8.self) }
        var collector: any ResponseChunkWriter = Collector()
        try await write(&collector)
        return (collector as? Collector)?.text ?? ""
    }
}

struct Collector: ResponseChunkWriter {
    var bytes: [UInt8] = []
    mutating func write(_ chunk: [UInt8]) async throws { bytes.append(contentsOf: chunk) }
    var text: String { String(decoding: bytes, as: UTF8.self) }
}
