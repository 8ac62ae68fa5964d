import Foundation

/// Writes TensorBoard event files (`events.out.tfevents.<unix time>.<host>`) with scalar and image
/// summaries, readable by TensorBoard's own `event_accumulator`.
///
/// Messages follow tensorflow/core/util/event.proto and summary.proto:
/// `Event{wall_time=1 double, step=2 int64, file_version=3 string, summary=5 Summary}`,
/// `Summary{value=1 repeated Value{tag=1, simple_value=2 float, image=4 Image}}`,
/// `Image{height=1, width=2, colorspace=3, encoded_image_string=4 PNG bytes}`.
public final class TensorBoardEventWriter {
    public let url: URL
    private let records: TFRecordWriter

    /// Creates a new event file in `directory`; the first record names the format version, as
    /// TensorBoard expects. A file of the same name (a run resumed within a second) gets a suffix.
    public init(directory: URL, wallTime: Date = Date(), host: String = ProcessInfo.processInfo.hostName) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let base = "events.out.tfevents.\(Int(wallTime.timeIntervalSince1970)).\(host)"
        var name = base, suffix = 1
        while FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path) {
            name = "\(base).\(suffix)"
            suffix += 1
        }
        url = directory.appendingPathComponent(name)
        records = try TFRecordWriter(url: url)
        var event = ProtobufWriter()
        event.double(1, wallTime.timeIntervalSince1970)
        event.string(3, "brain.Event:2")
        try records.write(event.bytes)
    }

    /// One event holding scalar values for `step`.
    public func addScalars(_ values: [(tag: String, value: Float)], step: Int, wallTime: Date = Date()) throws {
        guard !values.isEmpty else { return }
        try write(step: step, wallTime: wallTime) { summary in
            for (tag, value) in values {
                summary.message(1) { v in
                    v.string(1, tag)
                    v.float(2, value)
                }
            }
        }
    }

    /// An image summary of an encoded PNG of `width`×`height` with `channels` (1, 3 or 4) channels.
    public func addImage(tag: String, png: Data, width: Int, height: Int, channels: Int, step: Int, wallTime: Date = Date()) throws {
        try write(step: step, wallTime: wallTime) { summary in
            summary.message(1) { v in
                v.string(1, tag)
                v.message(4) { image in
                    image.int64(1, Int64(height))
                    image.int64(2, Int64(width))
                    image.int64(3, Int64(channels))
                    image.bytes(4, [UInt8](png))
                }
            }
        }
    }

    /// A text summary (TensorBoard's Text tab; Markdown): a scalar string tensor tagged for the
    /// `text` plugin.
    public func addText(tag: String, _ text: String, step: Int, wallTime: Date = Date()) throws {
        try write(step: step, wallTime: wallTime) { summary in
            summary.message(1) { v in
                v.string(1, tag)
                v.message(9) { metadata in metadata.message(1) { plugin in plugin.string(1, "text") } }
                v.message(8) { tensor in
                    tensor.int64(1, 7)  // DT_STRING
                    tensor.message(2) { _ in }  // a scalar
                    tensor.string(8, text)
                }
            }
        }
    }

    private func write(step: Int, wallTime: Date, summary: (inout ProtobufWriter) -> Void) throws {
        var event = ProtobufWriter()
        event.double(1, wallTime.timeIntervalSince1970)
        event.int64(2, Int64(step))
        event.message(5, summary)
        try records.write(event.bytes)
    }

    /// Pushes written events to disk (TensorBoard reads files as they grow).
    public func flush() throws { try records.flush() }
}
