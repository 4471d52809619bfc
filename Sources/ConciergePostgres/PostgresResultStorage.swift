/// The immutable cell data of a result, shared by its rows.
final class PostgresResultStorage: Sendable {
    let columnNames: [String]
    let columnIndex: [String: Int]
    let rowCount: Int
    /// All non-NULL values' UTF-8 bytes, row-major.
    let bytes: [UInt8]
    /// Per cell (row * columnCount + column): start offset in `bytes`, and length (-1 for SQL NULL).
    let offsets: [Int]
    let lengths: [Int]

    init(columnNames: [String], rowCount: Int, bytes: [UInt8], offsets: [Int], lengths: [Int]) {
        self.columnNames = columnNames
        var index: [String: Int] = [:]
        for (position, name) in columnNames.enumerated() where index[name] == nil {
            index[name] = position
        }
        self.columnIndex = index
        self.rowCount = rowCount
        self.bytes = bytes
        self.offsets = offsets
        self.lengths = lengths
    }

    static let empty = PostgresResultStorage(columnNames: [], rowCount: 0, bytes: [], offsets: [], lengths: [])

    func text(row: Int, column: Int) -> String? {
        let cell = row * columnNames.count + column
        let length = lengths[cell]
        guard length >= 0 else { return nil }
        let start = offsets[cell]
        return bytes.withUnsafeBufferPointer {
            String(decoding: UnsafeBufferPointer(rebasing: $0[start..<start + length]), as: UTF8.self)
        }
    }

    func isNull(row: Int, column: Int) -> Bool {
        lengths[row * columnNames.count + column] < 0
    }
}
