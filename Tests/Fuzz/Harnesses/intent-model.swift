// Compiled into the module IntentClassifier with all its sources. A model file (`classifier.model`) is read at
// start-up from a path in the configuration. Every 64-bit FNV-1a checksum is put right before decoding so that the
// fuzzer explores the header and the tables rather than stopping at the checksum. Properties: no crash and no
// allocation out of proportion to the file; a model that loads predicts, and writes back the same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIntentModel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var bytes = FuzzInput(data, size).bytes
    // The harness keeps the magic and version fixed (8 + 4 bytes) when the input is long enough to hold a checksum,
    // and stores the right checksum in the last 8 bytes.
    if bytes.count >= 20 + 8 {
        bytes.replaceSubrange(0..<8, with: IntentModel.magic)
        bytes.replaceSubrange(8..<12, with: [1, 0, 0, 0])
        let sum = ByteWriter.checksum(bytes[0..<(bytes.count - 8)])
        for i in 0..<8 { bytes[bytes.count - 8 + i] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(i))) }
    }
    guard let model = try? IntentModel.decode(bytes, path: "<fuzz>") else { return 0 }
    let prediction = model.predict("where is my refund for order 12345?", top: 3)
    fuzzCheck(model.labels.contains(prediction.label), "predicted an unknown label")
    return 0
}
