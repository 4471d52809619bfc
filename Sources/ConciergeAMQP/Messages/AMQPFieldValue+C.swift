internal import CRabbitMQ

private func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(truncatingIfNeeded: kind.rawValue) }

extension AMQPFieldValue {
    /// Encodes this value into C memory owned by `arena`.
    func cValue(in arena: CArena) -> amqp_field_value_t {
        var value = amqp_field_value_t()
        switch self {
        case .string(let string):
            value.kind = kind(AMQP_FIELD_KIND_UTF8)
            value.value.bytes = arena.bytes(string)
        case .bool(let bool):
            value.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            value.value.boolean = bool ? 1 : 0
        case .int(let int):
            value.kind = kind(AMQP_FIELD_KIND_I64)
            value.value.i64 = int
        case .double(let double):
            value.kind = kind(AMQP_FIELD_KIND_F64)
            value.value.f64 = double
        case .timestamp(let seconds):
            value.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            value.value.u64 = seconds
        case .bytes(let bytes):
            value.kind = kind(AMQP_FIELD_KIND_BYTES)
            value.value.bytes = arena.bytes(bytes)
        case .array(let elements):
            value.kind = kind(AMQP_FIELD_KIND_ARRAY)
            let entries = arena.allocate(amqp_field_value_t.self, count: elements.count)
            for (index, element) in elements.enumerated() {
                (entries + index).initialize(to: element.cValue(in: arena))
            }
            value.value.array = amqp_array_t(num_entries: Int32(elements.count), entries: entries)
        case .table(let table):
            value.kind = kind(AMQP_FIELD_KIND_TABLE)
            value.value.table = AMQPFieldValue.cTable(table, in: arena)
        case .void:
            value.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return value
    }

    /// Encodes a table into C memory owned by `arena` (an empty table has no entries pointer).
    static func cTable(_ table: [String: AMQPFieldValue], in arena: CArena) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_table_t(num_entries: 0, entries: nil) }
        let entries = arena.allocate(amqp_table_entry_t.self, count: table.count)
        for (index, (key, value)) in table.enumerated() {
            (entries + index).initialize(to: amqp_table_entry_t(key: arena.bytes(key), value: value.cValue(in: arena)))
        }
        return amqp_table_t(num_entries: Int32(table.count), entries: entries)
    }

    /// Decodes a C field value (every integer width maps to `.int`, floats and decimals to `.double`).
    init(_ value: amqp_field_value_t) {
        switch value.kind {
        case kind(AMQP_FIELD_KIND_UTF8): self = .string(value.value.bytes.string)
        case kind(AMQP_FIELD_KIND_BYTES): self = .bytes(value.value.bytes.array)
        case kind(AMQP_FIELD_KIND_BOOLEAN): self = .bool(value.value.boolean != 0)
        case kind(AMQP_FIELD_KIND_I8): self = .int(Int64(value.value.i8))
        case kind(AMQP_FIELD_KIND_U8): self = .int(Int64(value.value.u8))
        case kind(AMQP_FIELD_KIND_I16): self = .int(Int64(value.value.i16))
        case kind(AMQP_FIELD_KIND_U16): self = .int(Int64(value.value.u16))
        case kind(AMQP_FIELD_KIND_I32): self = .int(Int64(value.value.i32))
        case kind(AMQP_FIELD_KIND_U32): self = .int(Int64(value.value.u32))
        case kind(AMQP_FIELD_KIND_I64): self = .int(value.value.i64)
        case kind(AMQP_FIELD_KIND_U64): self = .int(Int64(clamping: value.value.u64))
        case kind(AMQP_FIELD_KIND_F32): self = .double(Double(value.value.f32))
        case kind(AMQP_FIELD_KIND_F64): self = .double(value.value.f64)
        case kind(AMQP_FIELD_KIND_DECIMAL):
            var scale = 1.0
            for _ in 0..<value.value.decimal.decimals { scale *= 10 }
            self = .double(Double(value.value.decimal.value) / scale)
        case kind(AMQP_FIELD_KIND_TIMESTAMP): self = .timestamp(value.value.u64)
        case kind(AMQP_FIELD_KIND_ARRAY):
            let array = value.value.array
            var elements: [AMQPFieldValue] = []
            elements.reserveCapacity(Int(array.num_entries))
            if let entries = array.entries {
                for index in 0..<Int(array.num_entries) { elements.append(AMQPFieldValue(entries[index])) }
            }
            self = .array(elements)
        case kind(AMQP_FIELD_KIND_TABLE): self = .table(AMQPFieldValue.table(value.value.table))
        default: self = .void
        }
    }

    /// Decodes a C table (a duplicate key keeps the last value).
    static func table(_ table: amqp_table_t) -> [String: AMQPFieldValue] {
        guard table.num_entries > 0, let entries = table.entries else { return [:] }
        var result: [String: AMQPFieldValue] = [:]
        result.reserveCapacity(Int(table.num_entries))
        for index in 0..<Int(table.num_entries) {
            result[entries[index].key.string] = AMQPFieldValue(entries[index].value)
        }
        return result
    }
}
