public import ConciergeRuntime
import Foundation

extension MigrationSet {
    /// The classifier's tables: customers, conversations, inquiries, routing decisions.
    public static let classifier = MigrationSet(namespace: "classifier", bundle: .module)
}
