import Foundation

/// Where the image benchmarks are published, with their sizes and SHA-256 sums, for `Downloader`.
///
/// MNIST's original site (yann.lecun.com) often refuses downloads, so the mirror torchvision uses
/// follows it; both serve byte-identical files, which the SHA-256 (from `../shared/datasets`)
/// confirms whichever answers.
public enum DatasetCatalogue {
    private static func file(_ name: String, _ bases: [String], _ size: Int64, _ sha: String?) -> RemoteFile {
        RemoteFile(name: name, urls: bases.map { URL(string: $0 + name)! }, size: size, sha256: sha)
    }

    private static let mnistBases = ["http://yann.lecun.com/exdb/mnist/", "https://ossci-datasets.s3.amazonaws.com/mnist/"]
    private static let fashionBases = ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]

    /// MNIST (LeCun, Cortes, Burges; CC BY-SA 3.0): the four gzip-compressed IDX files.
    public static let mnist: [RemoteFile] = [
        file("train-images-idx3-ubyte.gz", mnistBases, 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        file("train-labels-idx1-ubyte.gz", mnistBases, 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        file("t10k-images-idx3-ubyte.gz", mnistBases, 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        file("t10k-labels-idx1-ubyte.gz", mnistBases, 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    ]

    /// Fashion-MNIST (Zalando Research, MIT licence): the four gzip-compressed IDX files.
    public static let fashionMNIST: [RemoteFile] = [
        file("train-images-idx3-ubyte.gz", fashionBases, 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        file("train-labels-idx1-ubyte.gz", fashionBases, 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        file("t10k-images-idx3-ubyte.gz", fashionBases, 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        file("t10k-labels-idx1-ubyte.gz", fashionBases, 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    ]

    /// CIFAR-10, binary version (Krizhevsky, 2009): one archive holding `cifar-10-batches-bin/`.
    ///
    /// Only the size is checked: the publisher gives an MD5 (c32a1d4ab5d03f1284b67883e8d87530),
    /// not a SHA-256, and no SHA-256 from a verifiable source was at hand when this entry was
    /// written. Read it as it is with `CIFAR10Reader.read(archive:split:)`, or extract it with
    /// `tar xzf` and use `CIFAR10Reader.read(directory:split:)`.
    public static let cifar10Binary: [RemoteFile] = [
        file("cifar-10-binary.tar.gz", ["https://www.cs.toronto.edu/~kriz/"], 170_052_171, nil),
    ]
}
