package org.jmor.cli.thermalblock;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jmor.discretizer.grid.TriaGrid;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of the demo, written with XChart. */
final class Plots {
  private Plots() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Writes a line chart with a logarithmic y axis.
   *
   * @param file the PNG file
   * @param title the title
   * @param xTitle the x axis title
   * @param names the series names
   * @param x the x values of every series
   * @param ys one y array per series
   * @return the file
   */
  static Path decay(
      Path file, String title, String xTitle, List<String> names, double[] x, List<double[]> ys)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(560)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle("error")
            .build();
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setYAxisDecimalPattern("0.00");
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    for (int i = 0; i < names.size(); i++) {
      double[] y = ys.get(i);
      double[] xs = java.util.Arrays.copyOf(x, y.length);
      chart.addSeries(names.get(i), xs, y).setMarker(SeriesMarkers.CIRCLE);
    }
    return save(chart, file);
  }

  /**
   * Writes a line chart.
   *
   * @param file the PNG file
   * @param title the title
   * @param xTitle the x axis title
   * @param yTitle the y axis title
   * @param logY whether the y axis is logarithmic
   * @param names the series names
   * @param x the x values of every series
   * @param ys one y array per series
   * @return the file
   */
  static Path lines(
      Path file,
      String title,
      String xTitle,
      String yTitle,
      boolean logY,
      List<String> names,
      double[] x,
      List<double[]> ys)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(560)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    for (int i = 0; i < names.size(); i++) {
      chart.addSeries(names.get(i), x, ys.get(i)).setMarker(SeriesMarkers.CIRCLE);
    }
    return save(chart, file);
  }

  /**
   * Writes a log-log scatter plot of {@code y} against {@code x} with the diagonal {@code y = x}
   * over {@code [lo, hi]} (pyMOR's {@code analyze_pickle histogram}: estimates against errors).
   *
   * @return the file
   */
  static Path scatter(
      Path file,
      String title,
      String xTitle,
      String yTitle,
      double[] x,
      double[] y,
      double lo,
      double hi)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(720)
            .height(720)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle(yTitle)
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisMin(lo).setXAxisMax(hi).setYAxisMin(lo).setYAxisMax(hi);
    chart.getStyler().setLegendVisible(false);
    XYSeries diagonal = chart.addSeries("y = x", new double[] {lo, hi}, new double[] {lo, hi});
    diagonal.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    diagonal.setMarker(SeriesMarkers.NONE);
    diagonal.setLineColor(java.awt.Color.RED);
    XYSeries samples = chart.addSeries("samples", x, y);
    samples.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    samples.setMarker(SeriesMarkers.CIRCLE);
    return save(chart, file);
  }

  /**
   * Writes a histogram with a logarithmic x axis: bin {@code i} spans {@code [edges[i],
   * edges[i+1]]} with height {@code counts[i]}.
   *
   * @return the file
   */
  static Path histogram(Path file, String title, String xTitle, double[] edges, int[] counts)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(800)
            .height(480)
            .title(title)
            .xAxisTitle(xTitle)
            .yAxisTitle("count")
            .build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setYAxisDecimalPattern("0");
    int bins = counts.length;
    double[] x = new double[2 * bins + 2];
    double[] y = new double[2 * bins + 2];
    x[0] = edges[0];
    for (int i = 0; i < bins; i++) {
      x[2 * i + 1] = edges[i];
      y[2 * i + 1] = counts[i];
      x[2 * i + 2] = edges[i + 1];
      y[2 * i + 2] = counts[i];
    }
    x[2 * bins + 1] = edges[bins];
    XYSeries s = chart.addSeries("counts", x, y);
    s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
    s.setMarker(SeriesMarkers.NONE);
    s.setFillColor(java.awt.Color.BLUE);
    s.setLineColor(java.awt.Color.BLUE);
    return save(chart, file);
  }

  /**
   * Writes heat maps of P1 functions on the grid, sampled at the cell corners, one PNG per
   * function.
   *
   * @param dir the directory
   * @param prefix the file name prefix
   * @param grid the grid
   * @param titles one title per function
   * @param functions the nodal values, one array per function
   * @return the files
   */
  static List<Path> heatMaps(
      Path dir, String prefix, TriaGrid grid, List<String> titles, List<double[]> functions)
      throws IOException {
    List<Path> files = new ArrayList<>();
    int n = grid.intervals();
    int stride = Math.max(1, (n + 99) / 100);
    List<Integer> ticks = new ArrayList<>();
    for (int i = 0; i <= n; i += stride) {
      ticks.add(i);
    }
    for (int f = 0; f < functions.size(); f++) {
      double[] u = functions.get(f);
      HeatMapChart chart =
          new HeatMapChartBuilder().width(720).height(600).title(titles.get(f)).build();
      chart.getStyler().setShowValue(false);
      chart.getStyler().setPlotContentSize(1.0);
      chart.getStyler().setAxisTicksVisible(false);
      chart.getStyler().setPlotGridLinesVisible(false);
      chart.getStyler().setPlotBorderVisible(false);
      chart
          .getStyler()
          .setRangeColors(
              new java.awt.Color[] {
                new java.awt.Color(49, 54, 149),
                new java.awt.Color(116, 173, 209),
                new java.awt.Color(255, 255, 191),
                new java.awt.Color(244, 109, 67),
                new java.awt.Color(165, 0, 38)
              });
      List<Number[]> cells = new ArrayList<>(ticks.size() * ticks.size());
      for (int a = 0; a < ticks.size(); a++) {
        for (int b = 0; b < ticks.size(); b++) {
          cells.add(new Number[] {a, b, u[grid.corner(ticks.get(a), ticks.get(b))]});
        }
      }
      List<Double> coords = new ArrayList<>();
      for (int t : ticks) {
        coords.add(t * grid.h());
      }
      chart.addSeries(titles.get(f), coords, coords, cells);
      files.add(save(chart, dir.resolve(prefix + "-" + (f + 1) + ".png")));
    }
    return files;
  }

  private static Path save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path file)
      throws IOException {
    Outputs.writeAtomically(
        file, out -> BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG));
    return file;
  }
}
