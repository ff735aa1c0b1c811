import Foundation

/// The marker ngrokctl writes into an owned object's API `metadata` field:
/// compact sorted JSON `{"ngrokctl":{"fp":"…","ref":"IPPolicy/office","stack":"prod"},"user":"…"}`.
/// `fp` is a salted fingerprint of the resolved secret inputs (never a secret); `user` is the
/// spec's own metadata string, when it sets one. `"policy":"retain"` and `"protect":true` record the
/// resource's deletion policy and protection, so that they still hold once its manifest is removed.
public struct OwnershipMarker: Sendable, Hashable {
    public var stack: String
    public var address: ResourceAddress
    public var fingerprint: String
    public var userMetadata: String?
    /// `deletionPolicy: Retain`: when the manifest is removed, stop managing the object and keep it.
    public var retain: Bool
    /// `protect: true`: the plan fails rather than delete or replace the object.
    public var protect: Bool
    /// A credential's generation under rotation (`"gen"`, written from 2 on; absent = 1).
    public var generation: Int = 1
    /// A credential adopted from the account (`"tok":"ext"`): its token was made outside ngrokctl,
    /// so no token file is expected for it.
    public var externalToken = false

    public init(
        stack: String, address: ResourceAddress, fingerprint: String = "", userMetadata: String? = nil,
        retain: Bool = false, protect: Bool = false
    ) {
        self.stack = stack
        self.address = address
        self.fingerprint = fingerprint
        self.userMetadata = userMetadata
        self.retain = retain
        self.protect = protect
    }

    /// The metadata string to send to the API: compact JSON with sorted keys (written directly, not
    /// through JSONSerialization: planning encodes one marker per resource).
    public var encoded: String {
        // Allocated once: the fixed text is at most about 110 bytes (escaping, which is rare, only
        // costs a reallocation).
        var out = ""
        out.reserveCapacity(
            112 + fingerprint.utf8.count + address.kind.rawValue.utf8.count + address.name.utf8.count + stack.utf8.count
                + (userMetadata?.utf8.count ?? 0))
        out += "{\"ngrokctl\":{"
        if !fingerprint.isEmpty {
            out += "\"fp\":"
            JSONString.write(fingerprint, into: &out)
            out += ","
        }
        if generation > 1 { out += "\"gen\":\(generation)," }
        if retain { out += "\"policy\":\"retain\"," }
        if protect { out += "\"protect\":true," }
        out += "\"ref\":"
        if address.name.utf8.contains(where: JSONString.needsEscape) {
            JSONString.write(address.description, into: &out)
        } else {
            // `address.description` quoted, without making it first.
            out += "\""
            out += address.kind.rawValue
            out += "/"
            out += address.name
            out += "\""
        }
        out += ",\"stack\":"
        JSONString.write(stack, into: &out)
        if externalToken { out += ",\"tok\":\"ext\"" }
        out += "}"
        if let userMetadata {
            out += ",\"user\":"
            JSONString.write(userMetadata, into: &out)
        }
        return out + "}"
    }

    /// Parses an object's metadata; nil when it is not an ngrokctl marker.
    public init?(metadata: String) {
        guard metadata.hasPrefix("{"), metadata.contains("\"ngrokctl\""),
            let object = try? JSONSerialization.jsonObject(with: Data(metadata.utf8)) as? [String: Any],
            let inner = object["ngrokctl"] as? [String: Any],
            let stack = inner["stack"] as? String,
            let ref = inner["ref"] as? String,
            let address = ResourceAddress(parsing: ref)
        else { return nil }
        self.init(
            stack: stack, address: address, fingerprint: inner["fp"] as? String ?? "",
            userMetadata: object["user"] as? String, retain: inner["policy"] as? String == "retain",
            protect: (inner["protect"] as? Bool) ?? false)
        if let generation = inner["gen"] as? Int, generation > 1 { self.generation = generation }
        externalToken = inner["tok"] as? String == "ext"
    }
}
