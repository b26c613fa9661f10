import SwitchyardCore

/// What the mock upstream answers, as data: an in-process transport and the HTTP mock server
/// both play it out, so `mock/` deployments and `switchyard mock-upstream` behave the same.
public enum MockReply: Sendable, Hashable {
    /// A complete answer after `delay` seconds; `truncateAt` breaks the body off after that many bytes.
    case answer(status: Int, headers: HeaderFields, body: [UInt8], delay: Double, truncateAt: Int?)
    /// An SSE stream: `events` (wire bytes each), the first after `delay`, then one every `interval`;
    /// `complete` false means the connection breaks after the last event.
    case stream(headers: HeaderFields, events: [[UInt8]], delay: Double, interval: Double, complete: Bool)
    /// Never answers.
    case hang
}
