import GANKitCLI

GANKit.main()
