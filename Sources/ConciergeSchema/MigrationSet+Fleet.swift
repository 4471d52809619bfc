public import ConciergeRuntime
import Foundation

extension MigrationSet {
    /// What spans the modules, so no single module can own it: the worker roles and their grants on every module's
    /// tables (0050, 0052, 0055), customer erasure and retention over every table that holds customer text (0051,
    /// 0053), and `conversation_outcomes`, which reads the classifier's and the escalation worker's tables (0060).
    /// It lives here, beside the list of all sets, because only this module sees every table it names.
    public static let fleet = MigrationSet(namespace: "fleet", bundle: .module)
}
