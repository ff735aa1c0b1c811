import NgrokModel

/// Finds the reserved domain or address a `HOST`, `HOST:PORT` or `Kind/name` names.
public struct EndpointLookup: Sendable {
    public enum Found: Sendable, Hashable {
        /// A reserved domain; `how` says whether the name matched exactly or by a wildcard reservation.
        case domain(AccountView.Object, how: String)
        case address(AccountView.Object)

        public var object: AccountView.Object {
            switch self {
            case .domain(let o, _), .address(let o): o
            }
        }
    }

    public struct NotFound: Error, CustomStringConvertible {
        public var host: String
        public var origin: String
        public var description: String {
            "no reserved domain or address matches \"\(host)\" (\(origin)); give a hostname (app.example.com), "
                + "a TCP address (1.tcp.ngrok.io:20002) or an address (ReservedDomain/NAME, ReservedAddress/NAME)"
        }
    }

    public var view: AccountView

    public init(view: AccountView) { self.view = view }

    /// The hostname of a reserved domain object (a bare label is a subdomain of ngrok.io).
    public static func hostname(_ object: AccountView.Object) -> String {
        object.fields["name"]?.stringValue ?? ""
    }

    /// Splits `HOST:PORT` (the port only when it is all digits and the host is not a bare IPv6 address).
    public static func split(_ host: String) -> (host: String, port: Int?) {
        guard let colon = host.lastIndex(of: ":"), host.firstIndex(of: ":") == colon,
            let port = Int(host[host.index(after: colon)...]), (1...65535).contains(port)
        else { return (host, nil) }
        return (String(host[..<colon]), port)
    }

    public func find(_ query: String) throws(NotFound) -> Found {
        if let address = ResourceAddress(parsing: query) {
            if address.kind == .reservedDomain, let object = view.object(address) { return .domain(object, how: "by name") }
            if address.kind == .reservedAddress, let object = view.object(address) { return .address(object) }
            throw NotFound(host: query, origin: view.origin)
        }
        let lower = query.lowercased()
        if let object = view.all(.reservedAddress).first(where: { $0.addr?.lowercased() == lower }) {
            return .address(object)
        }
        let (host, _) = Self.split(lower)
        let domains = view.all(.reservedDomain)
        if let exact = domains.first(where: { Self.hostname($0) == host }) { return .domain(exact, how: "exact name") }
        // The most specific wildcard reservation that covers the host.
        let wildcards = domains.filter { Self.hostname($0).hasPrefix("*.") }
            .filter { DomainPattern.covers(pattern: Self.hostname($0), host: host) }
            .sorted { Self.hostname($0).count > Self.hostname($1).count }
        if let best = wildcards.first { return .domain(best, how: "wildcard reservation \(Self.hostname(best))") }
        throw NotFound(host: query, origin: view.origin)
    }
}

/// Hostname patterns with a leading `*.` wildcard.
public enum DomainPattern {
    /// `*.example.com` covers `a.example.com`, `a.b.example.com` and `*.a.example.com`, never
    /// `example.com` itself; any other pattern covers only itself. Case-insensitive.
    public static func covers(pattern: String, host: String) -> Bool {
        let pattern = pattern.lowercased()
        let host = host.lowercased()
        if pattern == host { return true }
        guard pattern.hasPrefix("*.") else { return false }
        let suffix = pattern.dropFirst(1)  // ".example.com"
        return host.hasSuffix(suffix) && host.count > suffix.count
    }
}
