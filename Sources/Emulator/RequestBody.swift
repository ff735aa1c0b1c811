/// A request body object checked against the fields an operation accepts: unknown fields are
/// rejected (ERR_NGROK_214), values of the wrong type are rejected (ERR_NGROK_215), and an explicit
/// JSON `null` reads as "not specified".
struct RequestBody: Sendable {
    let fields: JSONObject
    /// Dotted path of this object inside the request, for messages (empty at the top).
    let path: String

    private init(fields: JSONObject, path: String) {
        self.fields = fields
        self.path = path
    }

    /// A body without fields.
    static let empty = RequestBody(fields: JSONObject(), path: "")

    init(_ json: JSON, allowed: [String], path: String = "") throws(APIError) {
        guard case .object(let object) = json else {
            if path.isEmpty {
                throw APIError.badRequest(213, "The request body must be a JSON object.")
            }
            throw APIError.invalidValue(path, "expected an object, got \(json.typeName)")
        }
        for key in object.keys where !allowed.contains(key) {
            throw APIError.unknownField(path.isEmpty ? key : "\(path).\(key)", supported: allowed)
        }
        self.fields = object
        self.path = path
    }

    func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Present and not null.
    func has(_ key: String) -> Bool {
        guard let value = fields[key] else { return false }
        return !value.isNull
    }

    /// No field with a non-null value.
    var isEmpty: Bool { !fields.contains { !$0.value.isNull } }

    func value(_ key: String) -> JSON? {
        guard let value = fields[key], !value.isNull else { return nil }
        return value
    }

    func string(_ key: String) throws(APIError) -> String? { try typed(key, "a string", \.stringValue) }

    func bool(_ key: String) throws(APIError) -> Bool? { try typed(key, "a boolean", \.boolValue) }

    /// A non-negative integer that fits uint32.
    func uint32(_ key: String) throws(APIError) -> Int64? {
        guard let i = try typed(key, "an integer", \.intValue) else { return nil }
        guard i >= 0, i <= Int64(UInt32.max) else {
            throw APIError.invalidValue(name(key), "must be between 0 and \(UInt32.max)")
        }
        return i
    }

    func double(_ key: String) throws(APIError) -> Double? { try typed(key, "a number", \.doubleValue) }

    /// The value of `key` read by `read`; nil when absent or null, ERR_NGROK_215 when `read` refuses it.
    private func typed<T>(_ key: String, _ expected: String, _ read: (JSON) -> T?) throws(APIError) -> T? {
        guard let value = value(key) else { return nil }
        guard let typed = read(value) else {
            throw APIError.invalidValue(name(key), "expected \(expected), got \(value.typeName)")
        }
        return typed
    }

    func strings(_ key: String) throws(APIError) -> [String]? {
        guard let items = try typed(key, "an array of strings", \.arrayValue) else { return nil }
        var result: [String] = []
        for item in items {
            guard case .string(let s) = item else {
                throw APIError.invalidValue(name(key), "expected an array of strings, found \(item.typeName)")
            }
            result.append(s)
        }
        return result
    }

    /// A string→string map, in request order.
    func stringMap(_ key: String) throws(APIError) -> [(String, String)]? {
        guard let object = try typed(key, "an object of strings", \.objectValue) else { return nil }
        var result: [(String, String)] = []
        for pair in object {
            guard case .string(let s) = pair.value else {
                throw APIError.invalidValue("\(name(key)).\(pair.key)", "expected a string, got \(pair.value.typeName)")
            }
            result.append((pair.key, s))
        }
        return result
    }

    func object(_ key: String, allowed: [String]) throws(APIError) -> RequestBody? {
        guard let value = value(key) else { return nil }
        return try RequestBody(value, allowed: allowed, path: name(key))
    }
}
