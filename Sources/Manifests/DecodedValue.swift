import NgrokModel

/// A value typed by its `FieldType`: what the loader builds model values from.
indirect enum DecodedValue: Sendable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case double(Double)
    case list([DecodedValue])
    case pairs([(key: String, value: String)])
    case object(DecodedObject)
    case secret(SecretReference)

    var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }
}

/// The fields of a decoded object that were present and well typed.
struct DecodedObject: Sendable {
    var values: [String: DecodedValue] = [:]

    subscript(_ key: String) -> DecodedValue? { values[key] }

    func string(_ key: String) -> String? { values[key]?.string }

    func bool(_ key: String) -> Bool? {
        if case .bool(let v)? = values[key] { return v }
        return nil
    }

    func int(_ key: String) -> Int? {
        if case .int(let v)? = values[key] { return v }
        return nil
    }

    func double(_ key: String) -> Double? {
        switch values[key] {
        case .double(let v)?: return v
        case .int(let v)?: return Double(v)
        default: return nil
        }
    }

    func strings(_ key: String) -> [String]? {
        guard case .list(let items)? = values[key] else { return nil }
        return items.compactMap(\.string)
    }

    func pairs(_ key: String) -> [(key: String, value: String)]? {
        if case .pairs(let v)? = values[key] { return v }
        return nil
    }

    func object(_ key: String) -> DecodedObject? {
        if case .object(let v)? = values[key] { return v }
        return nil
    }

    func objects(_ key: String) -> [DecodedObject]? {
        guard case .list(let items)? = values[key] else { return nil }
        return items.compactMap {
            if case .object(let o) = $0 { return o }
            return nil
        }
    }

    func secret(_ key: String) -> SecretReference? {
        if case .secret(let v)? = values[key] { return v }
        return nil
    }
}
