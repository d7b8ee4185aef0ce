namespace Dsl.Generator.Tests;

/// <summary>Specs that must be rejected, each with a diagnostics snapshot under Snapshots/Diagnostics/.</summary>
internal static class BadSpecCases
{
    private const string ScaleNet50Rows =
        "[[62, 9, 5, 12, 56], [55, 27, 5, 1, 56], [59, 26, 0, 3, 56],\n" +
        " [125, 41, 6, 3, 28], [90, 39, 9, 37, 28], [106, 56, 4, 9, 28], [116, 56, 3, 0, 28],\n" +
        " [223, 71, 55, 0, 14], [196, 104, 44, 5, 14], [195, 98, 52, 4, 14], [155, 128, 66, 0, 14], [134, 129, 86, 0, 14], [120, 127, 98, 4, 14],\n" +
        " [237, 354, 106, 0, 7], [172, 435, 90, 0, 7], [138, 462, 97, 0, 7]]\n";

    /// <summary>Case name → files (path, text); every file is given to one generator run.</summary>
    public static readonly IReadOnlyDictionary<string, (string Path, string Text)[]> All = new Dictionary<string, (string, string)[]>
    {
        ["training-unknown-key"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\ntraining:\n  epochs: 6\n  learnig_rate: 0.2\n")],
        ["training-bad-values"] = [("bad.model.yaml",
            "name: Bad\nfamily: resnet\ndepth: 50\ntraining:\n  epochs: -3\n  batch_size: 0\n  learning_rate: 0\n  momentum: 1\n" +
            "  weight_decay: lots\n  schedule: cosin\n  augmentation: flip\n  crop_padding: 4\n  precision: fp16\n  memory_format: NHWC\n")],
        ["training-schedule-values"] = [("bad.model.yaml",
            "name: Bad\nfamily: resnet\ndepth: 50\ntraining:\n  warmup_epochs: 0.5\n  label_smoothing: 1\n  test_augmentation: crop-flip\n")],
        ["training-not-a-mapping"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\ntraining: [6, 256]\n")],
        ["yaml-syntax"] = [("bad.model.yaml", "name: Bad\nfamily: [big-little\ndepth: 50\n")],
        ["yaml-tab-indent"] = [("bad.model.yaml", "name: Bad\nstem:\n\tkernel: 3\n")],
        ["json-unquoted-key"] = [("bad.model.json", "{\n  \"name\": \"Bad\",\n  family: \"resnet\"\n}\n")],
        ["json-unclosed"] = [("bad.model.json", "{\n  \"name\": \"Bad\",\n  \"family\": \"resnet\",\n  \"depth\": 50\n")],
        ["json-single-quoted"] = [("bad.model.json", "{ \"name\": 'Bad', \"family\": \"resnet\", \"depth\": 50 }\n")],
        ["json-comment"] = [("bad.model.json", "{\n  \"name\": \"Bad\", # the name\n  \"family\": \"resnet\",\n  \"depth\": 50\n}\n")],
        ["json-trailing-comma"] = [("bad.model.json", "{\n  \"name\": \"Bad\",\n  \"family\": \"resnet\",\n  \"input\": [3, 224, 224,],\n  \"depth\": 50,\n}\n")],
        ["json-block-style"] = [("bad.model.json", "name: Bad\nfamily: resnet\n")],
        ["unknown-key"] = [("bad.model.yaml", "name: Bad\nfamly: big-little\ndepth: 50\nstem:\n  kernal: 3\n")],
        ["wrong-types"] = [("bad.model.yaml", "name: Bad\nfamily: big-little\ndepth: fifty\nalpha: 2.5\ninput: 3\nstem:\n  downsample: maybe\nwidths: [64, 128, \"256\", 512]\n")],
        ["missing-fields"] = [("bad.model.yaml", "# only a comment and a width\nwidths: [64, 128, 256, 512]\n")],
        ["unknown-family-and-block"] = [("bad.model.yaml", "name: Bad\nfamily: densenet\nblock: basic\ndepth: 50\n")],
        ["unknown-depth"] = [("bad.model.yaml", "name: Bad\nfamily: big-little\ndepth: 34\n")],
        ["alpha-not-dividing"] = [("bad.model.yaml", "name: Bad\nfamily: big-little\ndepth: 50\nalpha: 3\n")],
        ["cardinality-not-dividing"] = [("bad.model.yaml", "name: Bad\nfamily: big-little\nblock: resnext\ndepth: 50\ncardinality: 33\n")],
        ["beta-below-one"] = [("bad.model.yaml", "name: Bad\nfamily: big-little\ndepth: 50\nbeta: 0\n")],
        ["bl-stage-too-short"] = [("bad.model.yaml", "name: Bad\nfamily: big-little\nblocks: [2, 1, 2, 2]\n")],
        ["allocation-row-count"] = [("bad.model.yaml", "name: Bad\nfamily: scalenet\ndepth: 50\nallocation:\n  - [62, 9, 5, 12, 56]\n  - [55, 27, 5, 1, 56]\n")],
        ["allocation-row-shape"] = [("bad.model.yaml", "name: Bad\nfamily: scalenet\nblocks: [1, 1, 1, 1]\nallocation: [[1, 2, 3, 4, 56], [1, 2, 3], [1, 1, 1, 1, 28], [1, 1, 1, -1, 7]]\n")],
        ["all-zero-branches"] = [("bad.model.yaml", "name: Bad\nfamily: scalenet\nblocks: [1, 1, 1, 1]\nallocation:\n  - [64, 0, 0, 0, 56]\n  - [0, 0, 0, 0, 28]\n  - [256, 0, 0, 0, 14]\n  - [512, 0, 0, 0, 7]\n")],
        ["vanishing-branch"] =
        [
            ("bad.model.yaml", "name: Bad\nfamily: scalenet\ndepth: 50\ninput: [3, 96, 96]\nallocation_file: scalenet50.json\n"),
            ("scalenet50.json", ScaleNet50Rows),
        ],
        ["too-many-parameters"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nwidths: [2048, 4096, 8192, 16384]\n")],
        ["classifier-too-large"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nwidths: [64, 128, 256, 1024]\nclasses: 1000000\n")],
        ["input-too-small"] = [("bad.model.yaml", "name: Bad\nfamily: scalenet\nblocks: [1, 1, 1, 1]\ninput: [3, 16, 16]\nallocation:\n  - [64, 0, 0, 0, 56]\n  - [128, 0, 0, 0, 28]\n  - [256, 0, 0, 0, 14]\n  - [512, 0, 0, 0, 7]\n")],
        ["missing-allocation-file"] =
        [
            ("bad.model.yaml", "name: Bad\nfamily: scalenet\ndepth: 50\nallocation_file: scalenet51.json\n"),
            ("scalenet50.json", ScaleNet50Rows),
        ],
        ["broken-allocation-file"] =
        [
            ("bad.model.yaml", "name: Bad\nfamily: scalenet\ndepth: 50\nallocation_file: rows.json\n"),
            ("rows.json", "[[62, 9, 5, 12, 56],\n [55, 27, 5, 1 56]]\n"),
        ],
        ["duplicate-names"] =
        [
            ("a.model.yaml", "name: Twin-50\nfamily: resnet\ndepth: 50\n"),
            ("b.model.yaml", "name: twin-50\nfamily: resnet\ndepth: 50\n"),
            ("c.model.yaml", "name: Twin_50\nfamily: resnet\ndepth: 50\n"),
        ],
        ["invalid-names"] =
        [
            ("a.model.yaml", "name: \"x\\\"; } class Evil { //\"\nfamily: resnet\ndepth: 50\n"),
            ("b.model.yaml", "name: 50-layers\nfamily: resnet\ndepth: 50\n"),
            ("c.model.yaml", "name: GeneratedModels\nfamily: resnet\ndepth: 50\n"),
            ("d.model.yaml", "name: Layer1\nfamily: resnet\ndepth: 50\n"),
        ],
        ["duplicate-key"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\ndepth: 101\n")],
        ["conflicting-fields"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nblocks: [3, 4, 6, 3]\n")],
        ["not-applicable"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nalpha: 2\ncardinality: 32\nallocation_file: x.json\nstem:\n  downsample: false\n")],
        ["even-stem-kernel"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nstem:\n  kernel: 4\n")],
        ["huge-numbers"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\nclasses: 99999999999999999999999999\nwidths: [64, 128, 256, 2147483648]\n")],
        ["not-a-mapping"] = [("bad.model.yaml", "- name: Bad\n- family: resnet\n")],
        ["empty-file"] = [("bad.model.yaml", "")],
        ["yaml-not-named-as-spec"] = [("resnet.yaml", "name: Bad\nfamily: resnet\ndepth: 50\n")],
        ["feature-stages"] =
        [
            ("a.model.yaml", "name: A\nfamily: resnet\ndepth: 50\nfeatures: [0, 2, 5, 2]\n"),
            ("b.model.yaml", "name: B\nfamily: big-little\ndepth: 50\nfeatures: []\n"),
            ("c.model.yaml", "name: C\nfamily: resnet\ndepth: 50\nfeatures: [2, three]\n"),
            ("d.model.yaml", "name: D\nfamily: resnet\ndepth: 50\nfeatures: 4\n"),
            ("e.model.yaml", "name: E\nfamily: resnet\ndepth: 50\nfeatures: [1, 2, 3, 4, 1, 2]\n"),
        ],
        ["two-documents"] = [("bad.model.yaml", "name: Bad\nfamily: resnet\ndepth: 50\n---\nname: Other\n")],
    };
}
