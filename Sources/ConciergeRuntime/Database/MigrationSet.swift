public import Foundation

/// One module's migrations under its namespace: the `NNNN_name.sql` files it ships in its resource bundle's
/// `Migrations/` folder (`resources: [.copy("Migrations")]` in Package.swift), read when a ``Migrator`` is built.
///
/// Each module that owns tables exposes its set once, beside the code that uses the tables:
///
/// ```swift
/// extension MigrationSet {
///     public static let payout = MigrationSet(namespace: "payout", bundle: .module)
/// }
/// ```
///
/// Versions are global across every set (see ``Migrator`` for the numbering rule); the namespace says which module
/// owns a migration and is recorded with it.
public struct MigrationSet: Sendable {
    /// Lowercase letters, digits and `_`, unique among the sets given to one ``Migrator``.
    public let namespace: String
    private let source: Source

    private enum Source: Sendable {
        case directory(URL?)
        case migrations([Migrator.Migration])
    }

    /// The `.sql` files in `bundle`'s `Migrations/` folder.
    public init(namespace: String, bundle: Bundle) {
        self.namespace = namespace
        self.source = .directory(bundle.resourceURL?.appendingPathComponent("Migrations"))
    }

    /// Migrations given in code (tests; a migration that has no file).
    public init(namespace: String, migrations: [Migrator.Migration]) {
        self.namespace = namespace
        self.source = .migrations(migrations)
    }

    /// The set's migrations, stamped with its namespace, in version order.
    public func load() throws -> [Migrator.Migration] {
        guard !self.namespace.isEmpty,
            self.namespace.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
        else {
            throw Migrator.Error(
                code: .invalidNamespace, description: "migration namespace '\(self.namespace)' must be [a-z0-9_]+")
        }
        var migrations: [Migrator.Migration]
        switch self.source {
        case .migrations(let given):
            migrations = given
        case .directory(let directory):
            guard let directory else {
                throw Migrator.Error(
                    code: .missingResources, description: "no resource bundle with the \(self.namespace) migrations")
            }
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter {
                $0.hasSuffix(".sql")
            }
            migrations = try files.map { try Migrator.load(directory.appendingPathComponent($0)) }
        }
        for index in migrations.indices { migrations[index].namespace = self.namespace }
        return migrations.sorted { $0.version < $1.version }
    }
}
