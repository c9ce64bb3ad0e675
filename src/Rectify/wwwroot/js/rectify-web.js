// Rectify web pages: chart binding without eval (keeps the CSP free of 'unsafe-eval') and the reconnect retry button.
(function () {
    if (window.vizorECharts) {
        const parse = (text) => (text === null || text === undefined) ? null : JSON.parse(text);
        window.vizorECharts.registerMaps = function () { };
        window.vizorECharts.fetchExternalData = async function () { };
        window.vizorECharts.initChart = async function (id, theme, initOptions, chartOptions) {
            const el = document.getElementById(id);
            const chart = echarts.init(el, theme, JSON.parse(initOptions));
            const resizeHandler = function () { chart.resize(); };
            window.addEventListener('resize', resizeHandler);
            chart.__resizeHandler = resizeHandler;
            // The container may get its final width after the chart was created (cards in a flex row): follow it.
            if (window.ResizeObserver) new ResizeObserver(resizeHandler).observe(el);
            window.vizorECharts.charts.set(id, chart);
            if (chartOptions === null) { chart.showLoading(); return; }
            chart.setOption(parse(chartOptions));
            requestAnimationFrame(resizeHandler);
        };
        window.vizorECharts.updateChart = async function (id, chartOptions) {
            const chart = window.vizorECharts.charts.get(id);
            if (!chart) return;
            chart.setOption(parse(chartOptions), true);
            chart.hideLoading();
        };
    }
    // Set once the page's circuit is up (the layout calls it after its first interactive render).
    window.rectifyMarkInteractive = function () { document.body.setAttribute('data-interactive', '1'); };
    document.addEventListener('click', function (e) {
        if (e.target && e.target.id === 'reconnect-retry' && window.Blazor) {
            window.Blazor.reconnect().then(function (ok) { if (!ok) location.reload(); });
        }
    });
})();
