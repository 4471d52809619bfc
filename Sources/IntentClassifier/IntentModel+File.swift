import Foundation

extension IntentModel {
    /// The first eight bytes of every model file.
    static let magic: [UInt8] = Array("ICLMODEL".utf8)

    /// Writes the model to `path` (atomically) in the format documented on ``IntentModel``.
    public func write(to path: String) throws(IntentModelError) {
        var writer = ByteWriter()
        writer.bytes.reserveCapacity(64 + featureCount * (12 + labels.count * 2))
        writer.append(Self.magic)
        writer.append(UInt32(Self.formatVersion))
        writer.append(UInt32(labels.count))
        writer.append(UInt32(featureCount))
        let settings = vectorizer.settings
        writer.append(UInt32(settings.maxWordNGram))
        writer.append(UInt32(settings.charNGrams.lowerBound))
        writer.append(UInt32(settings.charNGrams.upperBound))
        writer.append(UInt32(settings.skipGramWindow))
        writer.append(UInt32(settings.crossWordChars ? 1 : 0))
        writer.append(settings.wordWeight.bitPattern)
        writer.append(settings.charWeight.bitPattern)
        writer.append(temperature.bitPattern)
        for label in labels {
            let utf8 = Array(label.utf8)
            writer.append(UInt32(utf8.count))
            writer.append(utf8)
        }
        for key in vectorizer.table.keys { writer.append(key) }
        for value in vectorizer.idf { writer.append(value.bitPattern) }
        for c in 0..<labels.count { writer.append(bias[c].bitPattern) }
        for feature in 0..<featureCount {
            let row = feature * stride
            for c in 0..<labels.count { writer.append(BFloat16.bits(weights[row + c])) }
        }
        writer.append(ByteWriter.checksum(writer.bytes[...]))
        do {
            try Data(writer.bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw IntentModelError(.io, path: path, message: "cannot write the model file: \(error)")
        }
    }

    /// Reads a model written by ``write(to:)``.
    ///
    /// - Throws: ``IntentModelError`` with code `.io` if the file cannot be read, `.notAModelFile` if the magic is
    ///   wrong, `.unsupportedVersion(found:expected:)` for another format version, `.truncated` if it is cut
    ///   short, `.corrupt` if the checksum or a field is wrong.
    public static func load(from path: String) throws(IntentModelError) -> IntentModel {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw IntentModelError(.io, path: path, message: "cannot read the model file: \(error)")
        }
        return try decode([UInt8](data), path: path)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(IntentModelError) -> IntentModel {
        func fail(_ code: IntentModelError.Code, _ message: String) -> IntentModelError {
            IntentModelError(code, path: path, message: message)
        }
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            throw fail(.notAModelFile, "not an intent model file (bad magic)")
        }
        var reader = ByteReader(bytes: bytes, position: magic.count, end: bytes.count)
        guard let version = reader.uint32() else { throw fail(.truncated, "file ends inside the header") }
        guard version == formatVersion else {
            throw fail(
                .unsupportedVersion(found: version, expected: formatVersion),
                "model format version \(version), this build reads version \(formatVersion)")
        }
        guard bytes.count >= magic.count + 4 + 8 else { throw fail(.truncated, "file ends inside the header") }
        reader.end = bytes.count - 8
        let truncated = fail(.truncated, "file is shorter than its header announces")
        guard let labelCount = reader.uint32().map(Int.init), let featureCount = reader.uint32().map(Int.init),
            let maxWordNGram = reader.uint32().map(Int.init), let charMin = reader.uint32().map(Int.init),
            let charMax = reader.uint32().map(Int.init), let skipGramWindow = reader.uint32().map(Int.init),
            let flags = reader.uint32(), let wordWeight = reader.float(),
            let charWeight = reader.float(), let temperature = reader.float()
        else { throw truncated }
        guard labelCount > 0, (1...2).contains(maxWordNGram), charMin <= charMax, charMax <= 64, skipGramWindow <= 64,
            flags <= 1,
            temperature.isFinite, temperature > 0
        else { throw fail(.corrupt, "impossible header values") }

        var labels: [String] = []
        for _ in 0..<labelCount {
            guard let length = reader.uint32().map(Int.init), let utf8 = reader.bytes(length) else { throw truncated }
            guard let label = String(validating: utf8, as: UTF8.self) else {
                throw fail(.corrupt, "a label is not valid UTF-8")
            }
            labels.append(label)
        }
        let stride = (labelCount + 7) / 8 * 8
        // Check the size before allocating anything proportional to the header's counts.
        let remaining = reader.end - reader.position
        guard featureCount <= remaining / 12,
            remaining == featureCount * 12 + labelCount * 4 + featureCount * labelCount * 2
        else {
            throw remaining < featureCount * 12 + labelCount * 4 + featureCount * labelCount * 2
                ? truncated : fail(.corrupt, "file size does not match its header")
        }
        guard ByteWriter.checksum(bytes[0..<(bytes.count - 8)]) == ByteReader.uint64(bytes, at: bytes.count - 8) else {
            throw fail(.corrupt, "checksum mismatch")
        }
        var keys = [UInt64](repeating: 0, count: featureCount)
        // The size check above guarantees these reads; a failed one is still an error, never a trap on file bytes.
        for f in 0..<featureCount {
            guard let key = reader.uint64() else { throw truncated }
            keys[f] = key
        }
        guard !keys.contains(0), Set(keys).count == keys.count else {
            throw fail(.corrupt, "invalid feature keys")
        }
        var idf = [Float](repeating: 0, count: featureCount)
        for f in 0..<featureCount {
            guard let value = reader.float() else { throw truncated }
            idf[f] = value
        }
        var bias = [Float](repeating: 0, count: stride)
        for c in 0..<labelCount {
            guard let value = reader.float() else { throw truncated }
            bias[c] = value
        }
        var weights = [Float](repeating: 0, count: featureCount * stride)
        bytes.withUnsafeBytes { raw in
            var offset = reader.position
            for f in 0..<featureCount {
                let row = f * stride
                for c in 0..<labelCount {
                    let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                    weights[row + c] = BFloat16.float(bits)
                    offset += 2
                }
            }
        }
        let settings = FeatureSettings(
            maxWordNGram: maxWordNGram, charNGrams: charMin...charMax, skipGramWindow: skipGramWindow,
            crossWordChars: flags & 1 != 0, wordWeight: wordWeight, charWeight: charWeight)
        return IntentModel(
            labels: labels, vectorizer: Vectorizer(settings: settings, table: FeatureTable(keys: keys), idf: idf),
            weights: weights, bias: bias, stride: stride, temperature: temperature)
    }
}
