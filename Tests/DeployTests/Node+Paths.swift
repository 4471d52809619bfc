import Yams

extension Node {
    /// The node at a path of mapping keys, e.g. `node.at("spec", "template", "spec")`. YAML merge keys (`<<:`) are
    /// followed, as Docker Compose does.
    func at(_ keys: String...) -> Node? { self.at(keys) }

    func at(_ keys: [String]) -> Node? {
        var node: Node? = self
        for key in keys {
            guard let current = node else { return nil }
            node = current[key] ?? current["<<"]?[key]
        }
        return node
    }

    /// The elements of a sequence node (empty for anything else).
    var elements: [Node] { self.array() }

    /// A sequence of scalars as strings.
    var strings: [String] { self.array().compactMap(\.string) }

    var kind: String? { self["kind"]?.string }
    var name: String? { self.at("metadata", "name")?.string }

    /// Keys of a mapping node as dotted paths down to the leaves (scalars and sequences).
    func flattenedKeys(prefix: String = "") -> [String] {
        guard let mapping = self.mapping else { return prefix.isEmpty ? [] : [prefix] }
        return mapping.flatMap { key, value -> [String] in
            let path = prefix.isEmpty ? (key.string ?? "") : "\(prefix).\(key.string ?? "")"
            return value.flattenedKeys(prefix: path)
        }
    }
}
