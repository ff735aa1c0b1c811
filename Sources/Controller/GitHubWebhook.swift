import Crypto
import Foundation
import GitSource

/// GitHub push webhooks: signature check, delivery de-duplication and the decision whether a
/// delivery triggers a sync. The body is only used to read the pushed ref — never as content:
/// a triggered sync fetches from git.
public struct GitHubWebhook: Sendable {
    public static let maxBodyBytes = 1 << 20

    public enum Decision: Equatable, Sendable {
        /// A push to the watched ref: sync (202, unless the commit already synced or a sync is
        /// queued). `after` is the pushed commit, when the payload names one.
        case trigger(after: String?)
        /// Valid, but not for us: another event, another ref, a ping (204).
        case ignored(String)
        /// Seen this delivery id before (204).
        case duplicate
        /// Missing or wrong signature (401).
        case unauthorized(String)
        /// Signed but unreadable (400).
        case badRequest(String)
    }

    private let secret: [UInt8]
    private let reference: GitReference

    public init(secret: [UInt8], reference: GitReference) {
        self.secret = secret
        self.reference = reference
    }

    /// Checks `X-Hub-Signature-256: sha256=<hex>` over the raw body, in constant time.
    public func isValidSignature(_ header: String?, body: [UInt8]) -> Bool {
        guard let header, header.hasPrefix("sha256=") else { return false }
        guard let mac = Self.decodeHex(header.dropFirst("sha256=".count)), mac.count == SHA256.byteCount else {
            return false
        }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: secret))
    }

    /// The signature GitHub would send for `body` (for tests and tooling).
    public static func signature(for body: [UInt8], secret: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// Decides what a delivery means. `deliveries` remembers the ids of accepted deliveries.
    public func decide(
        event: String?, delivery: String?, signature: String?, body: [UInt8], deliveries: inout DeliveryLog
    ) -> Decision {
        guard isValidSignature(signature, body: body) else {
            return .unauthorized(signature == nil ? "missing X-Hub-Signature-256" : "signature does not match")
        }
        if let delivery, !delivery.isEmpty, !deliveries.insert(delivery) { return .duplicate }
        guard let event else { return .badRequest("missing X-GitHub-Event") }
        guard event == "push" else { return .ignored("event \(event)") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let ref = object["ref"] as? String
        else { return .badRequest("push payload without a ref") }
        guard reference.isMoved(byPushTo: ref) else { return .ignored("push to \(ref)") }
        // The pushed commit: a full id other than all zeros (a deleted branch), else unknown.
        var after = (object["after"] as? String)?.lowercased()
        if let id = after, !((id.count == 40 || id.count == 64) && id.allSatisfy(\.isHexDigit)) || id.allSatisfy({ $0 == "0" }) {
            after = nil
        }
        return .trigger(after: after)
    }

    static func decodeHex(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for character in text.utf8 {
            let value: UInt8
            switch character {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = character - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = character - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): value = character - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                bytes.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return bytes
    }
}

/// The most recent delivery ids, bounded: the oldest is forgotten first.
public struct DeliveryLog: Sendable {
    public let capacity: Int
    private var order: [String] = []
    private var head = 0
    private var seen: Set<String> = []

    public init(capacity: Int = 1024) {
        self.capacity = max(capacity, 1)
    }

    public var count: Int { seen.count }

    /// Records `id`; false when it was already there.
    public mutating func insert(_ id: String) -> Bool {
        guard !seen.contains(id) else { return false }
        if order.count < capacity {
            order.append(id)
        } else {
            seen.remove(order[head])
            order[head] = id
            head = (head + 1) % capacity
        }
        seen.insert(id)
        return true
    }
}
