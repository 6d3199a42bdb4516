package io.shadowmq.bench.report;

import io.shadowmq.bench.load.Percentiles;
import io.shadowmq.bench.load.StepResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyChartTest {

    @Test
    void writesAPngWithOneLinePerTarget(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("chart.png");
        new LatencyChart()
                .add("updates", List.of(step(2000, 1, 4), step(1000, 0.8, 2), step(4000, 5, 80)))
                .add("echo", List.of(step(1000, 0.3, 1), step(8000, 0.9, 6)))
                .write(png, "test chart", 50);

        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(960);
        assertThat(image.getHeight()).isEqualTo(600);
        // The first series' colour is somewhere on it: a line was drawn, not just axes.
        boolean red = false;
        for (int x = 0; x < image.getWidth() && !red; x++) {
            for (int y = 0; y < image.getHeight() && !red; y++) {
                red = (image.getRGB(x, y) & 0xFFFFFF) == 0xC0392B;
            }
        }
        assertThat(red).isTrue();
    }

    private static StepResult step(double rate, double p50, double p99) {
        return new StepResult(rate, rate, (long) rate, (long) rate, 0, 0, new Percentiles(p50, p50, p99, p99, p99, 1));
    }
}
