import Foundation
import NgrokModel

/// `WireValue.serialized()` as UTF-8 bytes, written straight into a buffer: the same text (sorted
/// keys, no spaces, references and secrets as `null`), for digests over many objects.
enum CanonicalJSON {
    /// Appends `value` to `out`, leaving out object members named `skippingKey` at any depth.
    static func append(_ value: WireValue, to out: inout [UInt8], skippingKey: String? = nil) {
        var order = KeyOrder()
        append(value, to: &out, skippingKey: skippingKey, order: &order)
    }

    /// The sorted keys of the last top-level object: the objects of one collection mostly share
    /// their keys, and looking them up is cheaper than sorting again.
    struct KeyOrder {
        var keys: [String] = []
    }

    /// Appends `value`, reusing `order` for its top-level keys (nested objects are sorted as met).
    static func append(_ value: WireValue, to out: inout [UInt8], skippingKey: String?, order: inout KeyOrder) {
        guard case .object(let o) = value else { return appendValue(value, to: &out, skippingKey: skippingKey) }
        appendObject(o, to: &out, skippingKey: skippingKey, order: &order)
    }

    /// `append(.object(o), …)` without wrapping the object in a value first.
    static func appendObject(_ o: [String: WireValue], to out: inout [UInt8], skippingKey: String?, order: inout KeyOrder) {
        // The remembered keys, when the object has exactly these (same count, each found: one
        // lookup per key, the one that fetches its value); otherwise written again with its own.
        let start = out.count
        if order.keys.count == o.count, appendMembers(o, order.keys, to: &out, skippingKey: skippingKey) { return }
        out.removeSubrange(start...)
        order.keys = o.keys.sorted()
        _ = appendMembers(o, order.keys, to: &out, skippingKey: skippingKey)
    }

    /// Appends the members of `o` in the order of `keys`; false (leaving partial output) when a key is missing.
    private static func appendMembers(
        _ o: [String: WireValue], _ keys: [String], to out: inout [UInt8], skippingKey: String?
    ) -> Bool {
        out.append(UInt8(ascii: "{"))
        var first = true
        for key in keys {
            // Looked up even when skipped: that it is there is part of the object having these keys.
            guard let member = o[key] else { return false }
            if key == skippingKey { continue }
            appendMember(key, member, first: &first, to: &out, skippingKey: skippingKey)
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// `"key":value`, after a comma unless it is the object's first member.
    private static func appendMember(
        _ key: String, _ member: WireValue, first: inout Bool, to out: inout [UInt8], skippingKey: String?
    ) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        JSONString.append(key, to: &out)
        out.append(UInt8(ascii: ":"))
        appendValue(member, to: &out, skippingKey: skippingKey)
    }

    private static func appendValue(_ value: WireValue, to out: inout [UInt8], skippingKey: String?) {
        switch value {
        case .null, .ref, .secret: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): out += String(i).utf8
        case .double: out += value.serialized().utf8
        case .string(let s): JSONString.append(s, to: &out)
        case .list(let l), .set(let l):
            out.append(UInt8(ascii: "["))
            for (i, element) in l.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(element, to: &out, skippingKey: skippingKey)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in o.sorted(by: { $0.key < $1.key }) where key != skippingKey {
                appendMember(key, member, first: &first, to: &out, skippingKey: skippingKey)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
