import Foundation
import GANKitData
import Testing

@Test func catalogueCarriesTheSharedSizesAndSHA256Sums() {
    #expect(DatasetCatalogue.mnist.count == 4 && DatasetCatalogue.fashionMNIST.count == 4)
    #expect(DatasetCatalogue.mnist.allSatisfy { $0.sha256?.count == 64 && $0.size != nil })
    #expect(DatasetCatalogue.mnist[0].sha256 == "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609")
    #expect(DatasetCatalogue.cifar10Binary[0].size == 170_052_171)
}

@Test(.enabled(if: TestFiles.hasDataset("mnist") && TestFiles.hasDataset("fashion-mnist"), "../shared/datasets is absent"))
func catalogueEntriesVerifyTheSharedFiles() throws {
    let downloader = Downloader()
    for (files, folder) in [(DatasetCatalogue.mnist, "mnist"), (DatasetCatalogue.fashionMNIST, "fashion-mnist")] {
        for f in files { try downloader.verify(f, at: TestFiles.dataset(folder).appendingPathComponent(f.name)) }
    }
}
