using Dsl.Runtime.Nn;

namespace Dsl.Runtime.Blocks;

/// <summary>
/// ScaleNet's SA block. A 2x2 max-pool at the input carries the stride; a 1x1 reduction feeds up to four
/// branches that max-pool by 1, 2, 4 and 7, convolve, upsample back (nearest when the size divides,
/// bilinear otherwise) and batch-normalize; their concatenation goes through ReLU, a 1x1 expansion and
/// batch norm, then the residual add and ReLU. Absent branches (zero channels) keep their index.
/// </summary>
public sealed class ScaleBlock : Module<Tensor, Tensor>
{
    public static readonly int[] Scales = [1, 2, 4, 7];

    public Sequential? Downsample { get; }
    public Conv2d Conv1 { get; }
    public BatchNorm2d Bn1 { get; }
    public ModuleList<Conv2d> Conv2 { get; }
    public ModuleList<BatchNorm2d> Bn2 { get; }
    public Conv2d Conv3 { get; }
    public BatchNorm2d Bn3 { get; }
    public int Stride { get; }

    /// <param name="branchChannels">Output channels of the scale-1, 2, 4 and 7 branches; 0 leaves a branch out.</param>
    /// <param name="kernelSizes">Kernel size (3 or 1) of each branch convolution.</param>
    public ScaleBlock(int inChannels, int planes, int outChannels, IReadOnlyList<int> branchChannels,
        IReadOnlyList<int> kernelSizes, int stride, bool projection)
    {
        Stride = stride;
        Downsample = RegisterModule("downsample", projection
            ? new Sequential(new Conv2d(inChannels, outChannels, 1, bias: false), new BatchNorm2d(outChannels))
            : null);
        Conv1 = RegisterModule("conv1", new Conv2d(inChannels, planes, 1, bias: false));
        Bn1 = RegisterModule("bn1", new BatchNorm2d(planes));
        Conv2 = RegisterModule("conv2", new ModuleList<Conv2d>(branchChannels.Select((c, i) => c > 0
            ? new Conv2d(planes, c, kernelSizes[i], padding: kernelSizes[i] == 3 ? 1 : 0, bias: false)
            : null)));
        Bn2 = RegisterModule("bn2", new ModuleList<BatchNorm2d>(branchChannels.Select(c => c > 0 ? new BatchNorm2d(c) : null)));
        Conv3 = RegisterModule("conv3", new Conv2d(branchChannels.Sum(), outChannels, 1, bias: false));
        Bn3 = RegisterModule("bn3", new BatchNorm2d(outChannels));
    }

    public override Tensor Forward(Tensor input)
    {
        using var scope = new TensorScope();
        var x = Stride > 1 ? Functional.MaxPool2d(input, Stride, Stride) : input;
        var residual = Downsample is null ? x : Downsample.Forward(x);
        var reduced = Bn1.Forward(Conv1.Forward(x)).ReluInPlace();
        long height = reduced.Size(2), width = reduced.Size(3);
        var branches = new List<Tensor>(Scales.Length);
        for (var i = 0; i < Scales.Length; i++)
        {
            var conv = Conv2[i];
            if (conv is null) continue;
            var scale = Scales[i];
            var t = scale > 1 ? Functional.MaxPool2d(reduced, scale, scale) : reduced;
            t = conv.Forward(t);
            if (scale > 1)
            {
                long h = t.Size(2), w = t.Size(3);
                var mode = height % h == 0 && width % w == 0 ? InterpolationMode.Nearest : InterpolationMode.Bilinear;
                t = Functional.Interpolate(t, height, width, mode);
            }
            branches.Add(Bn2[i]!.Forward(t));
        }
        var merged = (branches.Count == 1 ? branches[0] : Tensor.Cat(branches, 1)).ReluInPlace();
        var output = Bn3.Forward(Conv3.Forward(merged)).AddInPlace(residual).ReluInPlace();
        return scope.MoveOut(output);
    }
}
