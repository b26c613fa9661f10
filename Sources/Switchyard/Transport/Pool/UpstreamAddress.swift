/// Where one upstream request goes, read off its URL: the connection it needs (scheme, host,
/// port) and what goes on the request line and in `Host`.
struct UpstreamAddress: Hashable, Sendable {
    /// What identifies a reusable connection.
    struct Endpoint: Hashable, Sendable {
        var host: String
        var port: Int
        var tls: Bool
    }

    var endpoint: Endpoint
    /// Path and query, as sent on the request line (`/` when the URL has none).
    var target: String
    /// The `Host` header: the host, with the port when it is not the scheme's default.
    var hostHeader: String

    /// Parses `http://` and `https://` URLs, IPv6 literals in brackets included. Nil for anything
    /// else (another scheme, no host, a port that is not a number in range).
    init?(_ url: String) {
        let tls: Bool
        let rest: Substring
        if url.utf8.starts(with: "https://".utf8) {
            tls = true
            rest = url.dropFirst(8)
        } else if url.utf8.starts(with: "http://".utf8) {
            tls = false
            rest = url.dropFirst(7)
        } else {
            return nil
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var target = String(rest[authorityEnd...])
        if let hash = target.firstIndex(of: "#") { target = String(target[..<hash]) }
        if target.isEmpty { target = "/" } else if target.first == "?" { target = "/" + target }

        var host: Substring
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.first == ":" { portText = after.dropFirst() } else if !after.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        } else {
            host = authority
        }
        guard !host.isEmpty else { return nil }
        let defaultPort = tls ? 443 : 80
        var port = defaultPort
        if let portText, !portText.isEmpty {
            guard let value = Int(portText), (1...65_535).contains(value) else { return nil }
            port = value
        }
        let bare = String(host)
        let shown = bare.contains(":") ? "[\(bare)]" : bare
        self.endpoint = Endpoint(host: bare, port: port, tls: tls)
        self.target = target
        self.hostHeader = port == defaultPort ? shown : "\(shown):\(port)"
    }
}
