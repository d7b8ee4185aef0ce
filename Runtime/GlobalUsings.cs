global using TorchSharp;
global using static TorchSharp.torch;
global using TorchSharp.Utils;
