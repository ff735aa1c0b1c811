import Foundation

@testable import Manifests

/// Converts composed YAML to JSON the way a YAML 1.2 editor does (core schema: plain `true`,
/// `false`, `null`, `~`, empty, decimal/hex/octal integers and floats are typed; everything
/// else is a string). Used to check the JSON Schemas against the loader.
enum YAMLToJSON {
    enum Unsupported: Error { case complexKey, duplicateKey, tag }

    static func convert(_ node: YAMLNode) throws -> Any {
        if let tag = node.tag, tag != "!", !tag.hasPrefix("tag:yaml.org,2002:") { throw Unsupported.tag }
        switch node.content {
        case .scalar(let text, let style):
            if node.tag == YAMLNode.strTag || style != .plain { return text }
            if node.isNull { return NSNull() }
            switch text {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
            if let i = DocumentDecoder.decimalInteger(text) { return i }
            if text.hasPrefix("0x"), let i = Int(text.dropFirst(2), radix: 16) { return i }
            if text.hasPrefix("0o"), let i = Int(text.dropFirst(2), radix: 8) { return i }
            if DocumentDecoder.isCoreFloat(text), let d = Double(text) { return d }
            if DocumentDecoder.isCoreFloat(text) { return text }
            return text
        case .sequence(let items):
            return try items.map(convert)
        case .mapping(let pairs):
            var object: [String: Any] = [:]
            for pair in pairs {
                guard case .scalar(let key, _) = pair.key.content else { throw Unsupported.complexKey }
                guard object[key] == nil else { throw Unsupported.duplicateKey }
                object[key] = try convert(pair.value)
            }
            return object
        }
    }

    /// The JSON text of every non-empty document of a YAML text, with its `kind`.
    static func documents(_ text: String) throws -> [(kind: String, json: String)] {
        let output = YAMLComposer().compose(Array(text.utf8))
        return try output.documents.filter { !$0.root.isNull }.map { doc in
            let value = try convert(doc.root)
            let kind = (value as? [String: Any])?["kind"] as? String ?? ""
            let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])
            return (kind, String(decoding: data, as: UTF8.self))
        }
    }
}
