import Yams

/// The Kubernetes objects of a kustomization, gathered from its `resources` (recursively through directories that
/// hold a kustomization.yaml). Generators and patches are not applied: the tests check the base as written and
/// the overlays' own files.
struct Manifests {
    var objects: [Node]

    init(kustomization directory: String) throws {
        self.objects = try Self.load(directory)
    }

    private static func load(_ directory: String) throws -> [Node] {
        let kustomization = try Repository.yaml("\(directory)/kustomization.yaml")
        var objects: [Node] = []
        for resource in kustomization["resources"]?.strings ?? [] {
            let path = Self.join(directory, resource)
            if Repository.exists("\(path)/kustomization.yaml") {
                objects += try self.load(path)
            } else {
                objects += try Repository.yamlDocuments(path)
            }
        }
        return objects
    }

    /// `base/../x` → `x`, relative to the repository root.
    static func join(_ directory: String, _ relative: String) -> String {
        var parts = directory.split(separator: "/").map(String.init)
        for part in relative.split(separator: "/").map(String.init) {
            switch part {
            case ".": continue
            case "..": if !parts.isEmpty { parts.removeLast() }
            default: parts.append(part)
            }
        }
        return parts.joined(separator: "/")
    }

    func all(_ kind: String) -> [Node] { self.objects.filter { $0.kind == kind } }

    func one(_ kind: String, named name: String) -> Node? { self.all(kind).first { $0.name == name } }

    /// The worker container of a Deployment (the first container).
    static func container(of deployment: Node) -> Node? {
        deployment.at("spec", "template", "spec", "containers")?.elements.first
    }

    /// Plain `value:` environment variables of a container.
    static func environment(of container: Node) -> [String: String] {
        var environment: [String: String] = [:]
        for variable in container["env"]?.elements ?? [] {
            if let name = variable["name"]?.string, let value = variable["value"]?.string { environment[name] = value }
        }
        return environment
    }

    /// Every environment variable name of a container, secret references included.
    static func environmentNames(of container: Node) -> [String] {
        (container["env"]?.elements ?? []).compactMap { $0["name"]?.string }
    }

    /// `(secret name, key)` of every `secretKeyRef` in a container.
    static func secretReferences(of container: Node) -> [(String, String)] {
        (container["env"]?.elements ?? []).compactMap { variable in
            guard let reference = variable.at("valueFrom", "secretKeyRef"),
                let name = reference["name"]?.string, let key = reference["key"]?.string
            else { return nil }
            return (name, key)
        }
    }
}
