using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Dsl.Generator.Diagnostics;
using Dsl.Generator.Infrastructure;
using Dsl.Generator.Specs;

namespace Dsl.Generator.Description;

/// <summary>
/// Expands a resolved spec into every block of the network, following the original implementations
/// (Big-Little Net's blresnet/blresnext/blseresnext, ScaleNet's scalenet.py, torchvision's resnet), and
/// checks what only the expansion reveals: widths that do not divide, empty maps at the declared input.
/// </summary>
internal sealed class NetworkBuilder
{
    public const int Expansion = 4;

    /// <summary>
    /// The most trainable parameters a spec may declare: 2^31, 8 GiB of float32 weights before gradients and
    /// momentum triple it, and some 28 times the largest built-in model (bLResNeXt-101-64x4d, 77 million). A
    /// larger network is a typo or a hostile spec, which would otherwise die out of memory in <c>train</c>.
    /// </summary>
    public const long MaxParameters = 1L << 31;
    private static readonly int[] BigLittleStrides = [2, 2, 1];
    private static readonly int[] PlainStrides = [1, 2, 2, 2];
    private static readonly int[] Scales = [1, 2, 4, 7];

    private readonly ResolvedSpec spec;
    private readonly List<DiagnosticInfo> diagnostics;
    private readonly CostCounter cost = new();
    private bool failed;

    private NetworkBuilder(ResolvedSpec spec, List<DiagnosticInfo> diagnostics) => (this.spec, this.diagnostics) = (spec, diagnostics);

    public static NetworkDescription? Build(ResolvedSpec spec, List<DiagnosticInfo> diagnostics)
    {
        try
        {
            return new NetworkBuilder(spec, diagnostics).Run();
        }
        catch (OverflowException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticCatalog.LimitExceeded, spec.FilePath, spec.InputSpan,
                "the network's parameter or multiply-add count does not fit in a 64-bit integer"));
            return null;
        }
    }

    private NetworkDescription? Run()
    {
        if (spec.Allocation is { } allocation && allocation.Count != spec.StageBlocks.Sum())
        {
            Report(DiagnosticCatalog.AllocationRowCount, spec.AllocationSpan, allocation.Count, spec.StageBlocks.Sum(),
                string.Join(" + ", spec.StageBlocks) + " per stage");
            return null;
        }
        var stem = BuildStem();
        if (failed) return null;
        var stages = new List<StageDescription>();
        var x = stem.Output;
        for (var i = 0; i < SpecResolver.StageCount && !failed; i++)
        {
            var stage = spec.Family switch
            {
                SpecResolver.BigLittle when i < 3 => BigLittleStage(i, x),
                SpecResolver.BigLittle => BottleneckStage(i, x, stride: 2, ShortcutRule.BigLittle),
                SpecResolver.ResNet => BottleneckStage(i, x, PlainStrides[i], ShortcutRule.Torchvision),
                _ => ScaleStage(i, x),
            };
            if (stage is null) break;
            stages.Add(stage);
            x = stage.Output;
        }
        if (failed) return null;

        cost.AddRow("avgpool", "AdaptiveAvgPool2d", [1, x.Channels, 1, 1], 0, 0);
        var classifier = (long)x.Channels * spec.Classes + spec.Classes;
        cost.AddRow("fc", "Linear", [1, spec.Classes], classifier, (long)x.Channels * spec.Classes);
        if (cost.Parameters > MaxParameters)
        {
            // At the field that makes the network so large: the classes when the classifier alone is, else the widths or depth.
            var span = classifier > MaxParameters ? spec.ClassesSpan : spec.WidthsGiven ? spec.WidthsSpan : spec.StageBlocksSpan;
            Report(DiagnosticCatalog.TooManyParameters, span, cost.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                MaxParameters.ToString("N0", CultureInfo.InvariantCulture), (MaxParameters * sizeof(float) >> 30) + " GiB");
            return null;
        }

        return new NetworkDescription(spec.Name, spec.ClassName, Spellings.ToFamily(spec.Family), Spellings.ToBlock(spec.Block),
            SpecResolver.FileName(spec.FilePath),
            spec.Depth, spec.StageBlocks.ToEquatableArray(), spec.Alpha, spec.Beta, spec.Cardinality, spec.BaseWidth, spec.SeReduction,
            spec.Classes, spec.Input, spec.Widths.ToEquatableArray(), spec.Family == SpecResolver.BigLittle, stem, stages.ToEquatableArray(),
            Features(stem, stages), x.Channels, cost.Rows, cost.Parameters, cost.MultiplyAdds, spec.Training);
    }

    /// <summary>The maps the spec asks for, each with its stride from the input: the stem's, then each stage's own in turn.</summary>
    private EquatableArray<FeatureDescription> Features(StemDescription stem, IReadOnlyList<StageDescription> stages)
    {
        var stride = stem.Stride * (stem.Downsample ? 2 : 1) * (stem.MaxPool ? 2 : 1);
        var features = new List<FeatureDescription>();
        for (var i = 0; i < stages.Count; i++)
        {
            stride *= OwnStride(stages[i]);
            if (spec.Features.Contains(i + 1)) features.Add(new FeatureDescription(i + 1, stride, stages[i].Output));
        }
        return features.ToEquatableArray();
    }

    /// <summary>
    /// How much a stage shrinks its input: a bL-module by its fusion block (its Big branch's stride 2 is upsampled back
    /// to the Little branch's resolution before they merge), a sequence by the product of its blocks' strides.
    /// </summary>
    private static int OwnStride(StageDescription stage) => stage.Kind switch
    {
        StageKind.BigLittle => stage.Fusion.Aggregate(1, (product, b) => product * b.Stride),
        StageKind.Scale => stage.ScaleBlocks.Aggregate(1, (product, b) => product * b.Stride),
        _ => stage.Blocks.Aggregate(1, (product, b) => product * b.Stride),
    };

    private StemDescription BuildStem()
    {
        var input = spec.Input;
        var channels = spec.StemChannels;
        var conv1 = ConvOutput(input, channels, spec.StemKernel, spec.StemStride, spec.StemKernel / 2, "conv1");
        AddConv("conv1", input.Channels, conv1, spec.StemKernel, 1, bias: false);
        cost.Add("bn1", "BatchNorm2d", conv1, CostCounter.BatchNorm(channels), 0);
        var x = conv1;
        var bigLittle = spec.Family == SpecResolver.BigLittle;
        var little = 0;
        if (bigLittle)
        {
            if (!Divisible(channels, spec.Alpha, "stem width " + channels, "alpha " + spec.Alpha, spec.AlphaSpan)) return Stem(x, false, 0, conv1);
            little = channels / spec.Alpha;
            var stride = spec.StemDownsample ? 2 : 1;
            var big = ConvOutput(x, channels, 3, stride, 1, "b_conv0");
            AddConv("b_conv0", channels, big, 3, 1, bias: false);
            cost.Add("bn_b0", "BatchNorm2d", big, CostCounter.BatchNorm(channels), 0);
            var l0 = ConvOutput(x, little, 3, 1, 1, "l_conv0");
            AddConv("l_conv0", channels, l0, 3, 1, bias: false);
            cost.Add("bn_l0", "BatchNorm2d", l0, CostCounter.BatchNorm(little), 0);
            var l1 = ConvOutput(l0, little, 3, stride, 1, "l_conv1");
            AddConv("l_conv1", little, l1, 3, 1, bias: false);
            cost.Add("bn_l1", "BatchNorm2d", l1, CostCounter.BatchNorm(little), 0);
            var l2 = l1 with { Channels = channels };
            AddConv("l_conv2", little, l2, 1, 1, bias: false);
            cost.Add("bn_l2", "BatchNorm2d", l2, CostCounter.BatchNorm(channels), 0);
            AddConv("bl_init", channels, big, 1, 1, bias: false);
            cost.Add("bn_bl_init", "BatchNorm2d", big, CostCounter.BatchNorm(channels), 0);
            x = big;
        }
        if (spec.StemMaxPool)
        {
            x = ConvOutput(x, x.Channels, 3, 2, 1, "maxpool");
            cost.Add("maxpool", "MaxPool2d", x, 0, 0);
        }
        return Stem(x, bigLittle, little, conv1);
    }

    private StemDescription Stem(FeatureShape output, bool bigLittle, int little, FeatureShape conv1) =>
        new(spec.StemChannels, spec.StemKernel, spec.StemStride, spec.StemMaxPool, bigLittle, bigLittle && spec.StemDownsample, little, conv1, output);

    private enum ShortcutRule
    {
        BigLittle,
        Torchvision,
    }

    /// <summary>bLModule: Big (blocks-1, stride 2, last block without ReLU), Little (max(1, blocks/β-1)), little_e, fusion.</summary>
    private StageDescription? BigLittleStage(int index, FeatureShape input)
    {
        var name = "layer" + (index + 1);
        var blocks = spec.StageBlocks[index];
        var outChannels = spec.Widths[index] * Expansion;
        if (blocks < 2)
        {
            Report(DiagnosticCatalog.OutOfRange, spec.StageBlocksSpan, "blocks of " + name, blocks.ToString(CultureInfo.InvariantCulture),
                "at least 2 in a bL-module (its Big branch has blocks-1 blocks, then one fusion block)");
            return null;
        }
        if (!Divisible(outChannels, spec.Alpha, name + " output width " + outChannels, "alpha " + spec.Alpha, spec.AlphaSpan)) return null;
        var littleChannels = outChannels / spec.Alpha;
        int littleCardinality = spec.Cardinality, littleBaseWidth = spec.BaseWidth;
        if (spec.Block != SpecResolver.Bottleneck)
        {
            if (!Divisible(spec.Cardinality, spec.Alpha, "cardinality " + spec.Cardinality, "alpha " + spec.Alpha, spec.CardinalitySpan)) return null;
            littleCardinality = spec.Cardinality / spec.Alpha;
            littleBaseWidth = spec.BaseWidth * spec.Alpha;
        }

        var big = MakeLayer(name + ".big", input, outChannels, blocks - 1, 2, lastRelu: false, spec.Cardinality, spec.BaseWidth, ShortcutRule.BigLittle);
        var littleCount = Math.Max(1, blocks / spec.Beta - 1);
        var little = MakeLayer(name + ".little", input, littleChannels, littleCount, 1, lastRelu: true, littleCardinality, littleBaseWidth, ShortcutRule.BigLittle);
        if (failed) return null;
        var littleOutput = little[little.Count - 1].Output;
        var expanded = littleOutput with { Channels = outChannels };
        AddConvRow(name + ".little_e", "Conv2d+BatchNorm2d", littleChannels, expanded, 1, 1, extraParameters: CostCounter.BatchNorm(outChannels));
        cost.Add(name + ".merge", "Upsample(nearest)+Add+ReLU", expanded, 0, 0);
        var fusion = MakeLayer(name + ".fusion", expanded, outChannels, 1, BigLittleStrides[index], lastRelu: true, spec.Cardinality, spec.BaseWidth, ShortcutRule.BigLittle);
        if (failed) return null;
        var empty = EquatableArray<BottleneckDescription>.Empty;
        return new StageDescription(name, StageKind.BigLittle, empty, big.ToEquatableArray(), little.ToEquatableArray(), littleChannels,
            fusion.ToEquatableArray(), EquatableArray<ScaleBlockDescription>.Empty, input, fusion[0].Output);
    }

    private StageDescription? BottleneckStage(int index, FeatureShape input, int stride, ShortcutRule rule)
    {
        var name = "layer" + (index + 1);
        var outChannels = spec.Widths[index] * Expansion;
        var blocks = MakeLayer(name, input, outChannels, spec.StageBlocks[index], stride, lastRelu: true, spec.Cardinality, spec.BaseWidth, rule,
            torchvisionPlanes: rule == ShortcutRule.Torchvision ? spec.Widths[index] : 0);
        if (failed) return null;
        return new StageDescription(name, StageKind.Bottlenecks, blocks.ToEquatableArray(), default, default, 0, default,
            EquatableArray<ScaleBlockDescription>.Empty, input, blocks[blocks.Count - 1].Output);
    }

    /// <summary>
    /// _make_layer: block 0 carries the stride and the shortcut; with more than one block only the last gets
    /// <paramref name="lastRelu"/> (a single block keeps its ReLU, as in the original).
    /// </summary>
    private List<BottleneckDescription> MakeLayer(string name, FeatureShape input, int outChannels, int count, int stride, bool lastRelu,
        int cardinality, int baseWidth, ShortcutRule rule, int torchvisionPlanes = 0)
    {
        var result = new List<BottleneckDescription>();
        var mid = MidChannels(name, outChannels, cardinality, baseWidth, torchvisionPlanes);
        if (mid is null) return result;
        var groups = spec.Block == SpecResolver.Bottleneck ? 1 : cardinality;
        if (spec.SeReduction > 0 && outChannels / spec.SeReduction < 1)
        {
            Report(DiagnosticCatalog.OutOfRange, spec.SeReductionSpan, "se_reduction", spec.SeReduction.ToString(CultureInfo.InvariantCulture),
                "at most " + outChannels + " (the width of " + name + ")");
            return result;
        }
        var x = input;
        for (var i = 0; i < count && !failed; i++)
        {
            var blockStride = i == 0 ? stride : 1;
            var shortcut = ShortcutKind.Identity;
            if (i == 0)
                shortcut = rule == ShortcutRule.Torchvision
                    ? (blockStride != 1 || x.Channels != outChannels ? ShortcutKind.StridedProjection : ShortcutKind.Identity)
                    : (blockStride != 1, x.Channels != outChannels) switch
                    {
                        (true, true) => ShortcutKind.AvgPoolProjection,
                        (true, false) => ShortcutKind.AvgPool,
                        (false, true) => ShortcutKind.Projection,
                        _ => ShortcutKind.Identity,
                    };
            var relu = count == 1 || i < count - 1 || lastRelu;
            var block = Bottleneck(name + "." + i, x, mid.Value, outChannels, blockStride, groups, shortcut, relu);
            if (block is null) break;
            result.Add(block);
            x = block.Output;
        }
        return result;
    }

    /// <summary>
    /// The 3x3 width. Big-Little Net passes the block's output width as "planes": planes/4, or for ResNeXt
    /// floor(planes·base_width/64)/4 per group. torchvision uses the stage width: planes, or floor(planes·base_width/64) per group.
    /// </summary>
    private int? MidChannels(string name, int outChannels, int cardinality, int baseWidth, int torchvisionPlanes)
    {
        long mid;
        if (torchvisionPlanes > 0)
            mid = spec.Block == SpecResolver.Bottleneck ? torchvisionPlanes : (long)torchvisionPlanes * baseWidth / 64 * cardinality;
        else
            mid = spec.Block == SpecResolver.Bottleneck ? outChannels / Expansion : (long)outChannels * baseWidth / 64 / Expansion * cardinality;
        if (mid >= 1 && mid <= 1_000_000) return (int)mid;
        Report(DiagnosticCatalog.OutOfRange, spec.Block == SpecResolver.Bottleneck ? spec.WidthsSpan : spec.BaseWidthSpan,
            "bottleneck width of " + name, mid.ToString(CultureInfo.InvariantCulture), "at least 1 (widen the stage or raise base_width)");
        return null;
    }

    private BottleneckDescription? Bottleneck(string name, FeatureShape input, int mid, int outChannels, int stride, int groups, ShortcutKind shortcut, bool lastRelu)
    {
        var output = ConvOutput(input, outChannels, 3, stride, 1, name);
        if (failed) return null;
        long parameters = 0, macs = 0;
        void Conv(int cin, int cout, int k, int g, bool bias, FeatureShape at)
        {
            var (p, m) = CostCounter.Conv(cin, cout, k, g, bias, at.Height, at.Width);
            parameters += p;
            macs += m;
        }
        Conv(input.Channels, mid, 1, 1, false, input);
        Conv(mid, mid, 3, groups, false, output);
        Conv(mid, outChannels, 1, 1, false, output);
        parameters += CostCounter.BatchNorm(mid) * 2 + CostCounter.BatchNorm(outChannels);
        if (shortcut is ShortcutKind.AvgPoolProjection or ShortcutKind.StridedProjection)
        {
            Conv(input.Channels, outChannels, 1, 1, false, output);
            parameters += CostCounter.BatchNorm(outChannels);
        }
        else if (shortcut == ShortcutKind.Projection)
        {
            Conv(input.Channels, outChannels, 1, 1, false, input);
            parameters += CostCounter.BatchNorm(outChannels);
        }
        if (spec.SeReduction > 0)
        {
            var squeezed = outChannels / spec.SeReduction;
            var one = new FeatureShape(squeezed, 1, 1);
            Conv(outChannels, squeezed, 1, 1, true, one);
            Conv(squeezed, outChannels, 1, 1, true, one);
        }
        cost.Add(name, spec.SeReduction > 0 ? "Bottleneck+SE" : "Bottleneck", output, parameters, macs);
        return new BottleneckDescription(input.Channels, mid, outChannels, stride, groups, shortcut, lastRelu, spec.SeReduction, input, output);
    }

    private StageDescription? ScaleStage(int index, FeatureShape input)
    {
        var name = "layer" + (index + 1);
        var planes = spec.Widths[index];
        var outChannels = planes * Expansion;
        var first = spec.StageBlocks.Take(index).Sum();
        var blocks = new List<ScaleBlockDescription>();
        var x = input;
        for (var i = 0; i < spec.StageBlocks[index]; i++)
        {
            var row = spec.Allocation![first + i];
            var blockName = name + "." + i;
            var stride = i == 0 ? PlainStrides[index] : 1;
            var pooled = stride > 1 ? new FeatureShape(x.Channels, x.Height / stride, x.Width / stride) : x;
            if (pooled.Height < 1 || pooled.Width < 1)
            {
                TooSmall(blockName, pooled);
                return null;
            }
            if (row.Channels.All(c => c == 0))
            {
                ReportAt(spec.AllocationPath, DiagnosticCatalog.EmptyBranchRow, row.Span, first + i, blockName);
                return null;
            }
            var branches = new List<ScaleBranchDescription>();
            long parameters = 0, macs = 0;
            var projection = stride != 1 || x.Channels != outChannels;
            if (projection)
            {
                parameters += (long)x.Channels * outChannels + CostCounter.BatchNorm(outChannels);
                macs += (long)x.Channels * outChannels * pooled.Height * pooled.Width;
            }
            parameters += (long)x.Channels * planes + CostCounter.BatchNorm(planes);
            macs += (long)x.Channels * planes * pooled.Height * pooled.Width;
            for (var b = 0; b < Scales.Length; b++)
            {
                var channels = row.Channels[b];
                // The designed side, not the actual map, picks the kernel: 3x3 while side / 2^b > 1.
                var kernel = row.Side > (1 << b) ? 3 : 1;
                int h = pooled.Height / Scales[b], w = pooled.Width / Scales[b];
                if (channels > 0 && (h < 1 || w < 1))
                {
                    ReportAt(spec.AllocationPath, DiagnosticCatalog.VanishingBranch, row.Span, blockName, Scales[b], "c_s" + Scales[b] + " = " + channels,
                        pooled.Height, pooled.Width, spec.Input.ToString());
                    return null;
                }
                branches.Add(new ScaleBranchDescription(Scales[b], channels, kernel));
                if (channels == 0) continue;
                var (p, m) = CostCounter.Conv(planes, channels, kernel, 1, false, h, w);
                parameters += p + CostCounter.BatchNorm(channels);
                macs += m;
            }
            var concatenated = row.Channels.Sum();
            parameters += (long)concatenated * outChannels + CostCounter.BatchNorm(outChannels);
            macs += (long)concatenated * outChannels * pooled.Height * pooled.Width;
            var output = pooled with { Channels = outChannels };
            cost.Add(blockName, "ScaleBlock", output, parameters, macs);
            blocks.Add(new ScaleBlockDescription(x.Channels, planes, outChannels, stride, projection, branches.ToEquatableArray(), x, output));
            x = output;
        }
        var none = EquatableArray<BottleneckDescription>.Empty;
        return new StageDescription(name, StageKind.Scale, none, none, none, 0, none, blocks.ToEquatableArray(), input, x);
    }

    private FeatureShape ConvOutput(FeatureShape input, int channels, int kernel, int stride, int padding, string layer)
    {
        var output = new FeatureShape(channels, CostCounter.OutputSize(input.Height, kernel, stride, padding),
            CostCounter.OutputSize(input.Width, kernel, stride, padding));
        if (!failed && (output.Height < 1 || output.Width < 1)) TooSmall(layer, output);
        return output;
    }

    private void TooSmall(string layer, FeatureShape output) =>
        Report(DiagnosticCatalog.OutOfRange, spec.InputSpan, "input", spec.Input.ToString(),
            "large enough for every layer (" + layer + " would produce a " + output.Height + "x" + output.Width + " map)");

    private void AddConv(string name, int inChannels, FeatureShape output, int kernel, int groups, bool bias)
    {
        var (p, m) = CostCounter.Conv(inChannels, output.Channels, kernel, groups, bias, output.Height, output.Width);
        cost.Add(name, "Conv2d", output, p, m);
    }

    private void AddConvRow(string name, string kind, int inChannels, FeatureShape output, int kernel, int groups, long extraParameters)
    {
        var (p, m) = CostCounter.Conv(inChannels, output.Channels, kernel, groups, false, output.Height, output.Width);
        cost.Add(name, kind, output, p + extraParameters, m);
    }

    private bool Divisible(int value, int divisor, string what, string by, SourceSpan span)
    {
        if (value % divisor == 0) return true;
        Report(DiagnosticCatalog.NotDivisible, span, what, by);
        return false;
    }

    private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params object[] arguments) =>
        ReportAt(spec.FilePath, descriptor, span, arguments);

    private void ReportAt(string path, Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, SourceSpan span, params object[] arguments)
    {
        failed = true;
        diagnostics.Add(DiagnosticInfo.Create(descriptor, path, span, arguments));
    }
}
