import Testing
import Yams

/// Every kustomization under deploy/ parses and names only files that exist; every manifest parses.
@Suite struct KustomizationTests {
    static let kustomizations = Repository.files(under: "deploy", endingIn: ["kustomization.yaml"])

    @Test func everyYAMLFileUnderDeployAndDockerParses() throws {
        let files = Repository.files(under: "deploy", endingIn: [".yaml", ".yml"]) + ["docker/compose.yaml"]
        #expect(files.count >= 10)
        for file in files {
            let documents = try Repository.yamlDocuments(file)
            #expect(!documents.isEmpty, "\(file) has no document")
        }
    }

    @Test func thereIsABaseAndADevAndProdOverlay() {
        let names = Set(Self.kustomizations)
        #expect(
            names.isSuperset(of: [
                "deploy/base/kustomization.yaml", "deploy/overlays/dev/kustomization.yaml",
                "deploy/overlays/prod/kustomization.yaml",
            ]))
    }

    @Test(arguments: KustomizationTests.kustomizations)
    func referencedFilesExist(kustomization: String) throws {
        let directory = String(kustomization.dropLast("/kustomization.yaml".count))
        let node = try Repository.yaml(kustomization)
        var paths = (node["resources"]?.strings ?? []) + (node["components"]?.strings ?? [])
        for generator in (node["configMapGenerator"]?.elements ?? []) + (node["secretGenerator"]?.elements ?? []) {
            paths += (generator["files"]?.strings ?? []).map {
                String($0.split(separator: "=", maxSplits: 1).last ?? "")
            }
        }
        for path in paths {
            #expect(Repository.exists(Manifests.join(directory, path)), "\(kustomization): \(path) does not exist")
        }
    }

    @Test func everyObjectInTheBaseHasAKindAndAName() throws {
        let manifests = try Manifests(kustomization: "deploy/base")
        #expect(manifests.objects.count >= 4 * 3 + 1)
        for object in manifests.objects {
            #expect(object.kind != nil && object.name != nil && object["apiVersion"]?.string != nil)
        }
    }
}
