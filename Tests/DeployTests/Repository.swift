import Foundation
import Yams

/// The repository the tests check: found by walking up from this file to the directory holding
/// `deploy/base/kustomization.yaml`, so the tests run from any package that links this directory.
enum Repository {
    struct Error: Swift.Error, CustomStringConvertible {
        var description: String
    }

    static let root: URL = {
        var directory = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("deploy/base/kustomization.yaml").path)
            {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        fatalError("no deploy/base/kustomization.yaml above \(#filePath)")
    }()

    static func url(_ path: String) -> URL { self.root.appendingPathComponent(path).standardizedFileURL }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: self.url(path).path) }

    static func text(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: self.url(path).path) else {
            throw Error(description: "cannot read \(path)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every document of a YAML file (empty documents dropped).
    static func yamlDocuments(_ path: String) throws -> [Node] {
        var documents = try Yams.compose_all(yaml: self.text(path))
        var nodes: [Node] = []
        while let node = documents.next() { nodes.append(node) }
        if let error = documents.error { throw Error(description: "\(path): \(error)") }
        return nodes.filter { $0.mapping != nil }
    }

    static func yaml(_ path: String) throws -> Node {
        guard let node = try self.yamlDocuments(path).first else { throw Error(description: "\(path) is empty") }
        return node
    }

    /// Relative paths of the regular files under `directory` whose names end in one of `suffixes`.
    static func files(under directory: String, endingIn suffixes: [String]) -> [String] {
        let base = self.url(directory)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else {
            return []
        }
        var paths: [String] = []
        for case let url as URL in enumerator where suffixes.contains(where: { url.lastPathComponent.hasSuffix($0) }) {
            let full = url.resolvingSymlinksInPath().path
            let prefix = self.root.resolvingSymlinksInPath().path + "/"
            paths.append(full.hasPrefix(prefix) ? String(full.dropFirst(prefix.count)) : full)
        }
        return paths.sorted()
    }

    /// Matches of `pattern`'s first capture group in `text`.
    static func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
