/// Rows of sparse TF-IDF vectors in compressed-row form, as the trainer consumes them.
struct SparseMatrix: Sendable {
    /// Row `r` occupies `rowStart[r]..<rowStart[r + 1]` of ``indices`` and ``values``.
    var rowStart: [Int] = [0]
    var indices: [Int32] = []
    var values: [Float] = []

    var rowCount: Int { rowStart.count - 1 }

    mutating func appendRow(indices newIndices: [Int32], values newValues: [Float]) {
        indices.append(contentsOf: newIndices)
        values.append(contentsOf: newValues)
        rowStart.append(indices.count)
    }
}
