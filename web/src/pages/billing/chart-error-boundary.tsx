/**
 * Keeps a failure of the charts (their chunk failed to load after a redeploy, or a drawing error)
 * inside the spend card instead of taking the whole billing page down.
 */
import { Component, type ReactNode } from 'react';
import { ErrorState } from '../../components/states';

interface State {
  error: unknown;
}

export class ChartErrorBoundary extends Component<{ children: ReactNode }, State> {
  state: State = { error: null };

  static getDerivedStateFromError(error: unknown): State {
    return { error };
  }

  render() {
    if (this.state.error) {
      // React.lazy keeps a failed import, so only a reload fetches the chunk again.
      return <ErrorState error={this.state.error} onRetry={() => window.location.reload()} />;
    }
    return this.props.children;
  }
}
