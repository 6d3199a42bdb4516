package io.shadowmq.bench.report;

import io.shadowmq.bench.load.StepResult;
import org.jetbrains.annotations.NotNull;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A PNG of latency (p50 dashed, p99 solid; log scale) against the offered rate, one colour per target. Drawn with
 * plain Java2D into a headless {@link BufferedImage}, so the bench needs no charting library.
 */
public final class LatencyChart {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLOURS = {
        new Color(0xC0392B), new Color(0x2471A3), new Color(0x229954), new Color(0x7D3C98)
    };
    private static final double MIN_MILLIS = 0.1;

    private final Map<String, List<StepResult>> series = new LinkedHashMap<>();

    /** Adds a target's steps (any order; drawn sorted by offered rate). */
    public @NotNull LatencyChart add(@NotNull String name, @NotNull List<StepResult> steps) {
        if (!steps.isEmpty()) {
            series.put(
                    name,
                    steps.stream()
                            .sorted(Comparator.comparingDouble(StepResult::targetRate))
                            .toList());
        }
        return this;
    }

    public void write(@NotNull Path png, @NotNull String title, double p99LimitMillis) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            double maxRate = series.values().stream()
                    .flatMap(List::stream)
                    .mapToDouble(StepResult::targetRate)
                    .max()
                    .orElse(1);
            double maxMillis = Math.max(
                    p99LimitMillis * 2,
                    series.values().stream()
                            .flatMap(List::stream)
                            .mapToDouble(s -> s.latency().p99())
                            .max()
                            .orElse(1));
            Axes axes = new Axes(maxRate, Math.log10(MIN_MILLIS), Math.log10(maxMillis));
            drawAxes(g, axes, title);
            g.setColor(Color.GRAY);
            g.setStroke(dashed(1));
            g.drawLine(LEFT, axes.y(p99LimitMillis), WIDTH - RIGHT, axes.y(p99LimitMillis));
            g.drawString("p99 limit " + p99LimitMillis + " ms", WIDTH - RIGHT - 120, axes.y(p99LimitMillis) - 4);
            int index = 0;
            for (Map.Entry<String, List<StepResult>> entry : series.entrySet()) {
                Color colour = COLOURS[index % COLOURS.length];
                g.setColor(colour);
                polyline(g, axes, entry.getValue(), true);
                polyline(g, axes, entry.getValue(), false);
                g.setStroke(new BasicStroke(2));
                g.drawLine(LEFT + 20, TOP + 20 + index * 18, LEFT + 50, TOP + 20 + index * 18);
                g.drawString(entry.getKey() + " (solid p99, dashed p50)", LEFT + 58, TOP + 24 + index * 18);
                index++;
            }
        } finally {
            g.dispose();
        }
        ImageIO.write(image, "png", png.toFile());
    }

    /** Maps rate (linear) and latency (log10 ms) to pixels. */
    private record Axes(double maxRate, double minLog, double maxLog) {
        int x(double rate) {
            return LEFT + (int) Math.round(rate / maxRate * (WIDTH - LEFT - RIGHT));
        }

        int y(double millis) {
            double log = Math.log10(Math.max(MIN_MILLIS, millis));
            return HEIGHT - BOTTOM - (int) Math.round((log - minLog) / (maxLog - minLog) * (HEIGHT - TOP - BOTTOM));
        }
    }

    private static void drawAxes(Graphics2D g, Axes axes, String title) {
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setStroke(new BasicStroke(1));
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
        for (int tick = 0; tick <= 5; tick++) {
            double rate = axes.maxRate() * tick / 5;
            g.drawString("%,.0f".formatted(rate), axes.x(rate) - 15, HEIGHT - BOTTOM + 16);
        }
        for (double millis = MIN_MILLIS; millis <= Math.pow(10, axes.maxLog()) * 1.0001; millis *= 10) {
            g.setColor(new Color(0xDDDDDD));
            g.drawLine(LEFT + 1, axes.y(millis), WIDTH - RIGHT, axes.y(millis));
            g.setColor(Color.BLACK);
            g.drawString(
                    millis < 1 ? "%.1f".formatted(millis) : "%,.0f".formatted(millis), LEFT - 45, axes.y(millis) + 4);
        }
        g.drawString("offered rate (requests/s)", WIDTH / 2 - 60, HEIGHT - 20);
        g.drawString("latency ms (log)", 8, TOP - 10);
    }

    private static void polyline(Graphics2D g, Axes axes, List<StepResult> steps, boolean p99) {
        g.setStroke(p99 ? new BasicStroke(2) : dashed(2));
        int[] xs = steps.stream().mapToInt(s -> axes.x(s.targetRate())).toArray();
        int[] ys = steps.stream()
                .mapToInt(s -> axes.y(p99 ? s.latency().p99() : s.latency().p50()))
                .toArray();
        g.drawPolyline(xs, ys, xs.length);
        for (int i = 0; i < xs.length; i++) {
            g.fillOval(xs[i] - 3, ys[i] - 3, 6, 6);
        }
    }

    private static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0);
    }
}
