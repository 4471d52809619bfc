import ConciergeYAML
import Testing

/// Configuration YAML decodes as Yams decodes it, except what would crash the process reading it.
@Suite struct ConfigurationYAMLTests {
    struct File: Decodable, Equatable {
        var version: Int
        var name: String?
    }

    /// Found by `scripts/fuzz intent-catalog-yaml`: Yams reads `a:b:c` as a base-60 integer and multiplies without
    /// overflow checks, so these crashed the worker loading its configuration; now they are an error naming the line.
    @Test(arguments: [
        "version: 6666666666666666666:666666666666:6", "version: 1:0:0:0:0:0:0:0:0:0:0",
        "version: -2_562_047_788_015_216:0:0:0",
        "name: x\nversion: 2:2:2:2:2:2:2:2:2:2:2:2",
    ])
    func overflowingBase60NumbersAreAnErrorNotACrash(yaml: String) {
        let error = #expect(throws: ConfigurationFileError.self) {
            try ConfigurationYAML.decode(File.self, from: yaml, configuration: "test file", file: "t.yaml")
        }
        #expect(error?.code == .invalidField)
        #expect(error?.line != nil)
        #expect(error?.description.hasPrefix("test file: t.yaml: line ") == true, "\(String(describing: error))")
        #expect(error?.description.contains("out of range") == true)
    }

    @Test func inRangeBase60AndQuotedTextDecodeAsBefore() throws {
        #expect(try ConfigurationYAML.decode(File.self, from: "version: 1:30") == File(version: 90))
        #expect(
            try ConfigurationYAML.decode(File.self, from: "version: 1\nname: \"1:0:0:0:0:0:0:0:0:0:0\"")
                == File(version: 1, name: "1:0:0:0:0:0:0:0:0:0:0"))
        #expect(
            try ConfigurationYAML.decode(File.self, from: "version: 1\nname: 07:30") == File(version: 1, name: "07:30"))
    }

    struct Items: Decodable {
        struct Item: Decodable { var n: Int }
        var items: [Item]
    }

    @Test func aMissingOrMistypedFieldIsNamedByItsKeyPath() {
        let missing = #expect(throws: ConfigurationFileError.self) {
            try ConfigurationYAML.decode(
                Items.self, from: "items:\n  - n: 1\n  - m: 2\n", configuration: "test file", file: "t.yaml")
        }
        #expect(missing?.code == .missingField)
        #expect(missing?.keyPath == "items.1.n")
        #expect(missing?.description == "test file: t.yaml: no 'items.1.n' (missing_field)")

        let mistyped = #expect(throws: ConfigurationFileError.self) {
            try ConfigurationYAML.decode(
                Items.self, from: "items:\n  - n: one\n", configuration: "test file", file: "t.yaml")
        }
        #expect(mistyped?.code == .invalidField)
        #expect(mistyped?.keyPath == "items.0.n")
    }

    @Test func textThatIsNotYAMLIsUnreadable() {
        let error = #expect(throws: ConfigurationFileError.self) {
            try ConfigurationYAML.decode(Items.self, from: "items: [1, 2\n", configuration: "test file", file: "t.yaml")
        }
        #expect(error?.code == .unreadable)
        #expect(error?.description.hasPrefix("test file: t.yaml: not YAML: ") == true)
    }
}
