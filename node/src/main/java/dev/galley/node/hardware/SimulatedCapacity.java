package dev.galley.node.hardware;

import java.util.ArrayList;
import java.util.List;

/**
 * Extra or simulated capacity declared by flags, for testing placement on machines that do not have
 * the hardware (spec §6.2): {@code --simulate-gpu "NAME:VRAM_GB:COUNT"} (repeatable),
 * {@code --extra-cpu N}, {@code --extra-ram-gb N}, {@code --extra-storage-gb N}.
 *
 * <p>{@link #applyTo} is a pure function of the probed hardware. Simulated GPUs carry
 * {@code simulated = true} so that the run supervisor never hands them to a container runtime.
 */
public record SimulatedCapacity(List<SimulatedGpu> gpus, int extraCpu, double extraRamGb, double extraStorageGb) {

    public static final SimulatedCapacity NONE = new SimulatedCapacity(List.of(), 0, 0, 0);
    private static final int MAX_SIMULATED_GPUS_PER_FLAG = 64;

    public SimulatedCapacity {
        gpus = List.copyOf(gpus);
        if (extraCpu < 0) throw new IllegalArgumentException("--extra-cpu must be >= 0, was " + extraCpu);
        if (!(extraRamGb >= 0)) throw new IllegalArgumentException("--extra-ram-gb must be >= 0, was " + extraRamGb);
        if (!(extraStorageGb >= 0)) throw new IllegalArgumentException("--extra-storage-gb must be >= 0, was " + extraStorageGb);
    }

    /** {@code count} GPUs of model {@code name} with {@code vramGb} each. */
    public record SimulatedGpu(String name, double vramGb, int count) {
        public SimulatedGpu {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("simulated GPU name must not be blank");
            if (!(vramGb > 0)) throw new IllegalArgumentException("simulated GPU VRAM must be > 0 GB, was " + vramGb);
            if (count < 1 || count > MAX_SIMULATED_GPUS_PER_FLAG) {
                throw new IllegalArgumentException("simulated GPU count must be 1.." + MAX_SIMULATED_GPUS_PER_FLAG + ", was " + count);
            }
        }

        /**
         * Parses {@code NAME:VRAM_GB:COUNT}, e.g. {@code NVIDIA H100 80GB HBM3:80:8}. Split from the right,
         * so a name containing ':' still works. Usable as a picocli converter.
         */
        public static SimulatedGpu parse(String spec) {
            int lastColon = spec.lastIndexOf(':');
            int middleColon = lastColon > 0 ? spec.lastIndexOf(':', lastColon - 1) : -1;
            if (middleColon <= 0) {
                throw new IllegalArgumentException("--simulate-gpu expects NAME:VRAM_GB:COUNT (e.g. \"NVIDIA H100 80GB HBM3:80:8\"), got '" + spec + "'");
            }
            String name = spec.substring(0, middleColon).strip();
            String vram = spec.substring(middleColon + 1, lastColon).strip();
            String count = spec.substring(lastColon + 1).strip();
            try {
                return new SimulatedGpu(name, Double.parseDouble(vram), Integer.parseInt(count));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--simulate-gpu '" + spec + "': VRAM_GB must be a number and COUNT an integer");
            }
        }
    }

    /**
     * Reads these flags out of an argument list ({@code --flag value} or {@code --flag=value}); other
     * arguments are ignored so the caller can pass its whole command line.
     */
    public static SimulatedCapacity fromArgs(List<String> args) {
        List<SimulatedGpu> gpus = new ArrayList<>();
        int extraCpu = 0;
        double extraRam = 0, extraStorage = 0;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (!List.of("--simulate-gpu", "--extra-cpu", "--extra-ram-gb", "--extra-storage-gb").contains(flag)) continue;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else {
                if (i + 1 >= args.size()) throw new IllegalArgumentException(flag + " needs a value");
                value = args.get(++i);
            }
            try {
                switch (flag) {
                    case "--simulate-gpu" -> gpus.add(SimulatedGpu.parse(value));
                    case "--extra-cpu" -> extraCpu += Integer.parseInt(value.strip());
                    case "--extra-ram-gb" -> extraRam += Double.parseDouble(value.strip());
                    case "--extra-storage-gb" -> extraStorage += Double.parseDouble(value.strip());
                    default -> throw new AssertionError(flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " expects a number, got '" + value + "'");
            }
        }
        return new SimulatedCapacity(gpus, extraCpu, extraRam, extraStorage);
    }

    /**
     * The probed hardware plus this capacity: extra cores, RAM and storage are added to the first
     * CPU/RAM/disk entry (a new entry when there is none); simulated GPUs are appended with indices after
     * the real ones.
     */
    public Hardware applyTo(Hardware probed) {
        List<Hardware.Cpu> cpus = new ArrayList<>(probed.cpus());
        if (extraCpu > 0) {
            if (cpus.isEmpty()) {
                cpus.add(new Hardware.Cpu("simulated CPU", extraCpu));
            } else {
                Hardware.Cpu first = cpus.getFirst();
                cpus.set(0, new Hardware.Cpu(first.name(), first.numCores() + extraCpu));
            }
        }
        List<Hardware.Ram> rams = new ArrayList<>(probed.rams());
        if (extraRamGb > 0) {
            if (rams.isEmpty()) {
                rams.add(new Hardware.Ram(Gigabytes.oneDecimal(extraRamGb), Gigabytes.oneDecimal(extraRamGb)));
            } else {
                Hardware.Ram first = rams.getFirst();
                rams.set(0, new Hardware.Ram(Gigabytes.oneDecimal(first.memoryGbMax() + extraRamGb),
                        Gigabytes.oneDecimal(first.memoryGbAvailable() + extraRamGb)));
            }
        }
        List<Hardware.Disk> disks = new ArrayList<>(probed.hardDrives());
        if (extraStorageGb > 0) {
            if (disks.isEmpty()) {
                disks.add(new Hardware.Disk("simulated", Gigabytes.oneDecimal(extraStorageGb), Gigabytes.oneDecimal(extraStorageGb)));
            } else {
                Hardware.Disk first = disks.getFirst();
                disks.set(0, new Hardware.Disk(first.name(), Gigabytes.oneDecimal(first.maxCapacityGb() + extraStorageGb),
                        Gigabytes.oneDecimal(first.availableCapacityGb() + extraStorageGb)));
            }
        }
        List<Hardware.Gpu> allGpus = new ArrayList<>(probed.gpus());
        int nextIndex = probed.gpus().stream().mapToInt(Hardware.Gpu::index).max().orElse(-1) + 1;
        for (SimulatedGpu model : gpus) {
            for (int n = 0; n < model.count(); n++) {
                allGpus.add(new Hardware.Gpu(nextIndex++, model.name().strip(), model.vramGb(), null, true));
            }
        }
        return new Hardware(cpus, allGpus, rams, disks);
    }
}
