import Foundation

/// Reads TensorBoard event files with TensorBoard's own Python reader (`event_accumulator`), so
/// tests check GANKit's files against the real consumer. Fails loudly if it is missing.
public enum TensorBoardReader {
    public struct Scalar: Decodable, Sendable { public var step: Int; public var value: Float }
    public struct Image: Decodable, Sendable { public var step: Int; public var width: Int; public var height: Int; public var bytes: Int }
    public struct Text: Decodable, Sendable { public var step: Int; public var text: String }
    public struct Contents: Decodable, Sendable {
        public var scalars: [String: [Scalar]]
        public var images: [String: [Image]]
        /// Summaries of the `text` plugin.
        public var texts: [String: [Text]]
    }

    static let script = """
        import json, sys
        try:
            from tensorboard.backend.event_processing import event_accumulator
        except ImportError as e:
            sys.exit("tensorboard is not installed (pip install tensorboard, or set GANKIT_SKIP_PYTHON_INTEROP=1): %s" % e)
        from tensorboard.util import tensor_util
        ea = event_accumulator.EventAccumulator(sys.argv[1], size_guidance={event_accumulator.SCALARS: 0, event_accumulator.IMAGES: 0,
                                                                             event_accumulator.TENSORS: 0})
        ea.Reload()
        tags = ea.Tags()
        try:
            text_tags = ea.PluginTagToContent("text")
        except KeyError:  # no text summary in these files
            text_tags = {}
        print(json.dumps({
            "scalars": {t: [{"step": e.step, "value": e.value} for e in ea.Scalars(t)] for t in tags["scalars"]},
            "images": {t: [{"step": e.step, "width": e.width, "height": e.height, "bytes": len(e.encoded_image_string)} for e in ea.Images(t)] for t in tags["images"]},
            "texts": {t: [{"step": e.step, "text": tensor_util.make_ndarray(e.tensor_proto).item().decode("utf-8")} for e in ea.Tensors(t)]
                      for t in text_tags},
        }))
        """

    public struct Failure: Error, CustomStringConvertible { public var description: String }

    public static func read(_ directory: URL) throws -> Contents {
        let r = try ExternalProcess.run("python3", ["-c", script, directory.path])
        guard r.status == 0 else { throw Failure(description: "python3 tensorboard reader failed (\(r.status)): \(r.error)") }
        return try JSONDecoder().decode(Contents.self, from: Data(r.output.utf8))
    }
}
