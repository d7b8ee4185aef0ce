using Dsl.Runtime.Blocks;
using Dsl.Runtime.Inference;
using BottleneckForm = Dsl.Runtime.Blocks.Bottleneck.Inference;
using BigLittleForm = Dsl.Runtime.Blocks.BigLittleModule.Inference;
using ScaleBlockForm = Dsl.Runtime.Blocks.ScaleBlock.Inference;

namespace Dsl.Runtime.Onnx;

/// <summary>The inference form's blocks as ONNX nodes, each mirroring its block's forward; paths are the blocks' state-dict paths.</summary>
internal static class OnnxBlocks
{
    /// <summary>A <see cref="BottleneckForm"/>: three convolutions, squeeze-excitation where present, the shortcut added, ReLU where the block has it.</summary>
    public static OnnxValue Bottleneck(this OnnxOps ops, string path, BottleneckForm block, OnnxValue input)
    {
        var x = ops.Conv(path + ".conv3", block.Conv3, ops.Conv(path + ".conv2", block.Conv2, ops.Conv(path + ".conv1", block.Conv1, input)));
        if (block.SeLayer is { } se) x = ops.SqueezeExcitation(path + ".se_layer", se, x);
        var shortcut = block.Downsample is { } downsample ? ops.Shortcut(path + ".downsample", downsample, input) : input;
        x = ops.Add(path + ".add", x, shortcut);
        return block.LastRelu ? ops.Relu(path + ".relu", x) : x;
    }

    /// <summary>A <see cref="BigLittleForm"/>: Big and Little on the input, Big upsampled (nearest) plus Little's expansion, ReLU, then the fusion blocks.</summary>
    public static OnnxValue BigLittle(this OnnxOps ops, string path, BigLittleForm module, OnnxValue input)
    {
        var little = ops.Sequence(path + ".little", module.Little, input, Bottleneck);
        var big = ops.Sequence(path + ".big", module.Big, input, Bottleneck);
        var upsampled = ops.Resize(path + ".merge.upsample", big, little.Height, little.Width, bilinear: false);
        var merged = ops.AddInto(path + ".little_e", module.LittleE, upsampled, little, path + ".merge");
        return ops.Sequence(path + ".fusion", module.Fusion, merged, Bottleneck);
    }

    /// <summary>
    /// A <see cref="ScaleBlockForm"/>: the block's max pool where its stride is over 1, the shortcut, the 1x1 reduction,
    /// each branch with channels (pooled by its scale, convolved, resized back: nearest where the size divides, bilinear
    /// otherwise), concatenated, ReLU, then the last convolution added to the shortcut with a ReLU.
    /// </summary>
    public static OnnxValue ScaleBlock(this OnnxOps ops, string path, ScaleBlockForm block, OnnxValue input)
    {
        var x = block.Stride > 1 ? ops.MaxPool(path + ".pool", input, block.Stride, block.Stride) : input;
        var residual = block.Downsample is { } downsample ? ops.Shortcut(path + ".downsample", downsample, x) : x;
        var reduced = ops.Conv(path + ".conv1", block.Conv1, x);
        var outputs = new List<OnnxValue>();
        for (var i = 0; i < block.Branches.Count; i++)
        {
            var branch = block.Branches[i];
            if (branch.Channels == 0) continue;
            var conv = block.Conv2[i] ?? throw new OnnxExportException($"{path}.conv2.{i}: the branch has {branch.Channels} channels but no convolution");
            outputs.Add(ops.Branch(path + ".conv2." + i, branch, conv, reduced));
        }
        if (outputs.Count == 0) throw new OnnxExportException($"{path}: every branch has zero channels");
        var merged = ops.Relu(path + ".concat.relu", ops.Concat(path + ".concat", outputs));
        return ops.AddInto(path + ".conv3", block.Conv3, residual, merged, path + ".add");
    }

    /// <summary>The blocks in order, each through <paramref name="block"/>, at paths <c>path.0</c>, <c>path.1</c>, ...</summary>
    public static OnnxValue Sequence<T>(this OnnxOps ops, string path, BlockSequence<T> blocks, OnnxValue input,
        Func<OnnxOps, string, T, OnnxValue, OnnxValue> block) where T : nn.Module<Tensor, Tensor>
    {
        var x = input;
        for (var i = 0; i < blocks.Count; i++) x = block(ops, path + "." + i, blocks[i], x);
        return x;
    }

    /// <summary><see cref="ScaleBranch.Apply"/>: at scale 1 the convolution alone; else pooled, convolved and resized back.</summary>
    private static OnnxValue Branch(this OnnxOps ops, string path, ScaleBranch branch, FusedConv conv, OnnxValue reduced)
    {
        if (branch.Scale == 1) return ops.Conv(path, conv, reduced);
        var pooled = ops.MaxPool(path + ".pool", reduced, branch.Scale, branch.Scale);
        var convolved = ops.Conv(path, conv, pooled);
        var divides = reduced.Height % convolved.Height == 0 && reduced.Width % convolved.Width == 0;
        return ops.Resize(path + ".upsample", convolved, reduced.Height, reduced.Width, bilinear: !divides);
    }
}
