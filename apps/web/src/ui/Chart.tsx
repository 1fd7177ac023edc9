import { useEffect, useRef } from 'react';
import type { ChartOption } from '@maatlat/shared/charts';

/**
 * An ECharts chart from one of the shared option builders (@maatlat/shared/charts: the same
 * options the reports render), loaded only by the screens that draw one. `label` is its accessible
 * name; the numbers are also in a table beside it.
 */
export function Chart({ option, label }: { option: ChartOption; label: string }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let disposed = false;
    let chart: { setOption(o: object): void; dispose(): void; resize(): void } | undefined;
    const resize = () => chart?.resize();
    void (async () => {
      const [core, charts, components, renderers] = await Promise.all([import('echarts/core'), import('echarts/charts'), import('echarts/components'), import('echarts/renderers')]);
      core.use([charts.RadarChart, charts.HeatmapChart, charts.LineChart, components.TitleComponent, components.TooltipComponent, components.LegendComponent, components.GridComponent, components.VisualMapComponent, renderers.CanvasRenderer]);
      if (disposed || !element.current) return;
      chart = core.init(element.current);
      chart.setOption(option as object);
      window.addEventListener('resize', resize);
    })();
    return () => {
      disposed = true;
      window.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [option]);
  return <div ref={element} className="maatlat-chart" role="img" aria-label={label} />;
}
